import type { PathFit } from "../path/elasticNetPath.js";

/** Right-aligns each column of a table of strings. */
export function alignTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((s, c) => s.padStart(widths[c])).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** The path as glmnet's print() shows it: one row per λ with Df, %Dev and Lambda. */
export function pathTable(fit: Pick<PathFit, "lambda" | "df" | "devRatio">): string {
  const rows: string[][] = [];
  for (let k = 0; k < fit.lambda.length; k++) {
    rows.push([
      String(k + 1),
      String(fit.df[k]),
      // (a rounding residue below 0.005 % prints as 0.00, not -0.00)
      (Math.abs(fit.devRatio[k]) < 5e-5 ? 0 : 100 * fit.devRatio[k]).toFixed(2),
      fit.lambda[k].toPrecision(4),
    ]);
  }
  return alignTable(["", "Df", "%Dev", "Lambda"], rows);
}
