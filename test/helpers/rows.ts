import { readFileSync } from "node:fs";
import { denseMatrix, type DenseMatrix } from "../../src/index.js";

/** Rows of numbers as a column-major design of their first p columns and the response in column p. */
export function xyOfRows(
  rows: number[][],
  p: number,
): { x: DenseMatrix; y: Float64Array; n: number } {
  const n = rows.length;
  const data = Float64Array.from({ length: n * p }, (_, t) => rows[t % n][Math.floor(t / n)]);
  return { x: denseMatrix(n, p, data), y: Float64Array.from(rows, (row) => row[p]), n };
}

/** A numeric CSV file (header row, target last) as a design and response. */
export function xyOfCsv(file: string): { x: DenseMatrix; y: Float64Array; n: number } {
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/).slice(1);
  const rows = lines.map((l) => l.split(",").map(Number));
  return xyOfRows(rows, rows[0].length - 1);
}
