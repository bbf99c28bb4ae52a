/**
 * The SQL the engines issue, in the plain dialect every engine here shares (DuckDB, ClickHouse;
 * and Spark SQL, Trino or BigQuery by the same text): SELECT with arithmetic, CAST, CASE, count,
 * sum and avg, GROUP BY, LIMIT, double-quoted names. What differs per engine — how a table or file
 * is named, a row's position, the finiteness test — comes from the engine's own file as an
 * `EngineDialect`. The statements, in order:
 *
 * 1. `describe`: the columns and their types (engine-specific).
 * 2. `checkSql`: one scan counting rows, missing and non-finite cells per column.
 * 3. `shiftSql`: the averages over the first 10,000 rows (the shifts that keep the sums exact).
 * 4. `statsSql`: one scan, grouped by fold, of n, Σu, Σv, Σuⱼuₖ (j ≤ k), Σuⱼv, Σv² with
 *    u = x − a, v = y − b — everything the Gaussian path and its exact K-fold CV need.
 */
export interface EngineDialect {
  /** The relation to read, e.g. `read_parquet('f.parquet')` or `"db"."table"`. */
  relation: string;
  /** A row's 0-based position in the scan order, as an integer expression. */
  position: string;
  /** A boolean expression: `e` is a finite number. */
  isFinite(e: string): string;
}

/** A double-quoted identifier. */
export const name = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A double literal that reads back to the same double. */
export const literal = (v: number): string => {
  const s = String(v);
  return /[eE]/.test(s) || s.includes(".") ? s : `${s}.0`;
};

const num = (c: string) => `CAST(${name(c)} AS DOUBLE)`;

/**
 * The fold of the row at 0-based position `pos`: a multiplicative hash of the position (Knuth's
 * 2654435761), plus the seed, modulo K, plus 1 — deterministic, portable integer arithmetic,
 * and balanced without following any order of the file. `foldOf` computes the same in JS.
 */
export function foldSql(position: string, K: number, seed: number): string {
  return `((((${position}) * 2654435761 + ${Math.trunc(seed)}) % 4294967296) % ${K} + 1)`;
}

/** The fold `foldSql` gives the row at 0-based position `pos`. */
export function foldOf(pos: number, K: number, seed: number): number {
  const h = (BigInt(pos) * 2654435761n + BigInt(Math.trunc(seed))) % 4294967296n;
  return Number(h % BigInt(K)) + 1;
}

/** Rows, and missing and non-finite cells of each column, in one scan. */
export function checkSql(d: EngineDialect, columns: string[]): string {
  const parts = columns.flatMap((c) => [
    `sum(CASE WHEN ${name(c)} IS NULL THEN 1 ELSE 0 END)`,
    `sum(CASE WHEN ${name(c)} IS NOT NULL AND NOT (${d.isFinite(num(c))}) THEN 1 ELSE 0 END)`,
  ]);
  return `SELECT count(*), ${parts.join(", ")} FROM ${d.relation}`;
}

/** The averages of the columns over the first 10,000 rows with no missing cell. */
export function shiftSql(d: EngineDialect, columns: string[]): string {
  const complete = columns.map((c) => `${name(c)} IS NOT NULL`).join(" AND ");
  return (
    `SELECT ${columns.map((c) => `avg(${num(c)})`).join(", ")} FROM ` +
    `(SELECT ${columns.map(name).join(", ")} FROM ${d.relation} WHERE ${complete} LIMIT 10000) AS t`
  );
}

/**
 * The Gaussian sufficient statistics per fold in one scan (fold 0 for all rows when `folds` is
 * null). Rows with a missing cell in any of the columns are left out (`--missing drop`; the
 * check runs first with `--missing error`). Output columns: fold, n, Σu (p), Σv, Σuⱼuₖ for
 * j ≤ k (p(p+1)/2, row by row), Σuⱼv (p), Σv².
 */
export function statsSql(
  d: EngineDialect,
  x: string[],
  y: string,
  shiftX: ArrayLike<number>,
  shiftY: number,
  folds: { K: number; seed: number } | null,
): string {
  const p = x.length;
  const u = (j: number) => `u${j}`;
  const inner = [
    `${folds ? foldSql("t0.pos__", folds.K, folds.seed) : "0"} AS fold`,
    ...x.map((c, j) => `(${num(c)} - ${literal(shiftX[j])}) AS ${u(j)}`),
    `(${num(y)} - ${literal(shiftY)}) AS v`,
  ];
  const complete = [...x, y].map((c) => `${name(c)} IS NOT NULL`).join(" AND ");
  const sums = [
    "count(*)",
    ...x.map((_, j) => `sum(${u(j)})`),
    "sum(v)",
    ...Array.from({ length: p }, (_, j) =>
      Array.from({ length: p - j }, (_, t) => `sum(${u(j)} * ${u(j + t)})`),
    ).flat(),
    ...x.map((_, j) => `sum(${u(j)} * v)`),
    "sum(v * v)",
  ];
  // The position is taken before rows with missing cells are left out: a row's fold depends on
  // where it is in the source, not on the other rows.
  const columns = [...x, y].map(name).join(", ");
  const positioned = folds
    ? `(SELECT ${columns}, ${d.position} AS pos__ FROM ${d.relation}) AS t0`
    : `(SELECT ${columns} FROM ${d.relation}) AS t0`;
  return (
    `SELECT fold, ${sums.join(", ")} FROM (SELECT ${inner.join(", ")} FROM ${positioned} ` +
    `WHERE ${complete}) AS t GROUP BY fold ORDER BY fold`
  );
}
