import breastCancer from "../../data/breast_cancer.csv?raw";
import diabetes from "../../data/diabetes.csv?raw";
import lung from "../../data/lung.csv?raw";
import wine from "../../data/wine.csv?raw";

const SOURCES: Record<string, string> = { diabetes, breast_cancer: breastCancer, wine, lung };

/** An embedded dataset: names, column-major raw and standardized (population sd) features, y. */
export interface LabData {
  names: string[];
  target: string;
  n: number;
  p: number;
  x: Float64Array;
  standardized: Float64Array;
  y: Float64Array;
}

export function loadCsv(name: string): LabData {
  const lines = SOURCES[name].trim().split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.replace(/^"|"$/g, ""));
  const rows = lines.slice(1).map((l) => l.split(",").map(Number));
  const n = rows.length;
  const p = header.length - 1;
  const x = new Float64Array(n * p);
  const standardized = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += rows[i][j] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (rows[i][j] - m) ** 2 / n;
    const s = Math.sqrt(v) || 1;
    for (let i = 0; i < n; i++) {
      x[j * n + i] = rows[i][j];
      standardized[j * n + i] = (rows[i][j] - m) / s;
    }
  }
  return {
    names: header.slice(0, p),
    target: header[p],
    n,
    p,
    x,
    standardized,
    y: Float64Array.from(rows, (r) => r[p]),
  };
}
