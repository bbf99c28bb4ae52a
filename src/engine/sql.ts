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
  /** The natural logarithm of `e`. */
  ln(e: string): string;
}

/**
 * How rows are split into K folds: by a hash of their position (`foldSql`), or by a column
 * holding each row's fold number 1..K (`--fold-column`).
 */
export interface Folds {
  K: number;
  seed: number;
  column?: string;
}

/** The fold expression of a row (its position as `pos__` where no column is given). */
export function foldExpr(folds: Folds, position = "pos__"): string {
  return folds.column
    ? `CAST(${name(folds.column)} AS INTEGER)`
    : foldSql(position, folds.K, folds.seed);
}

/**
 * "Every one of these cells is present": the columns' names, undefined ones left out (an
 * optional weight or offset column).
 */
export function completeSql(columns: (string | undefined)[]): string {
  return columns
    .filter((c): c is string => c !== undefined)
    .map((c) => `${name(c)} IS NOT NULL`)
    .join(" AND ");
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

/**
 * Rows, missing and non-finite cells of each column, the rows with no missing cell, and the
 * negative values of `nonNegative` columns (weights), in one scan.
 */
export function checkSql(d: EngineDialect, columns: string[], nonNegative: string[] = []): string {
  const parts = columns.flatMap((c) => [
    `sum(CASE WHEN ${name(c)} IS NULL THEN 1 ELSE 0 END)`,
    `sum(CASE WHEN ${name(c)} IS NOT NULL AND NOT (${d.isFinite(num(c))}) THEN 1 ELSE 0 END)`,
  ]);
  const complete = completeSql(columns);
  const negative = nonNegative.map((c) => `sum(CASE WHEN ${num(c)} < 0 THEN 1 ELSE 0 END)`);
  return `SELECT count(*), ${[...parts, `sum(CASE WHEN ${complete} THEN 1 ELSE 0 END)`, ...negative].join(", ")} FROM ${d.relation}`;
}

/** The averages of the columns over the first 10,000 rows with no missing cell. */
export function shiftSql(d: EngineDialect, columns: string[]): string {
  const complete = completeSql(columns);
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
  folds: Folds | null,
  weights?: string,
): string {
  const p = x.length;
  const u = (j: number) => `u${j}`;
  const inner = [
    `${folds ? foldExpr(folds, "t0.pos__") : "0"} AS fold`,
    ...x.map((c, j) => `(${num(c)} - ${literal(shiftX[j])}) AS ${u(j)}`),
    `(${num(y)} - ${literal(shiftY)}) AS v`,
    `${weights ? num(weights) : "1.0"} AS w__`,
  ];
  const complete = completeSql([...x, y, weights]);
  // with weights every sum is weighted, and n is Σw
  const sums = [
    weights ? "sum(w__)" : "count(*)",
    ...x.map((_, j) => `sum(w__ * ${u(j)})`),
    "sum(w__ * v)",
    ...Array.from({ length: p }, (_, j) =>
      Array.from({ length: p - j }, (_, t) => `sum(w__ * ${u(j)} * ${u(j + t)})`),
    ).flat(),
    ...x.map((_, j) => `sum(w__ * ${u(j)} * v)`),
    "sum(w__ * v * v)",
  ];
  // The position is taken before rows with missing cells are left out: a row's fold depends on
  // where it is in the source, not on the other rows.
  const columns = [...x, y, ...(folds?.column ? [folds.column] : []), ...(weights ? [weights] : [])]
    .map(name)
    .join(", ");
  const positioned =
    folds && !folds.column
      ? `(SELECT ${columns}, ${d.position} AS pos__ FROM ${d.relation}) AS t0`
      : `(SELECT ${columns} FROM ${d.relation}) AS t0`;
  return (
    `SELECT fold, ${sums.join(", ")} FROM (SELECT ${inner.join(", ")} FROM ${positioned} ` +
    `WHERE ${complete}) AS t GROUP BY fold ORDER BY fold`
  );
}

/** A GLM family's per-row expressions, for `irlsSql`. */
export interface GlmSql {
  /** μ from η (binomial: the logistic, clipped to [1e−9, 1 − 1e−9] as glmnet; Poisson: e^η). */
  mean(eta: string): string;
  /** The IRLS weight (variance) from μ. */
  weight(mu: string): string;
  /** The negative log-likelihood ℓ(y, η). */
  loss(y: string, eta: string): string;
}

/** The families' expressions; `ln` is the engine's natural logarithm. */
export function glmSql(family: "binomial" | "poisson", ln: (e: string) => string): GlmSql {
  if (family === "binomial")
    return {
      mean: (eta) => `greatest(least(1.0 / (1.0 + exp(-(${eta}))), 0.999999999), 0.000000001)`,
      weight: (mu) => `(${mu}) * (1.0 - (${mu}))`,
      loss: (y, eta) =>
        `(greatest(${eta}, 0.0) + ${ln(`1.0 + exp(-abs(${eta}))`)} - (${y}) * (${eta}))`,
    };
  return {
    mean: (eta) => `exp(${eta})`,
    weight: (mu) => mu,
    loss: (y, eta) => `(exp(${eta}) - (${y}) * (${eta}))`,
  };
}

/**
 * One IRLS pass at the linear predictor η = a₀ + Σ βⱼxⱼ (original scale; only non-zero β
 * appear): Σv, Σv·uⱼ, Σv·uⱼuₖ (j ≤ k), Σr, Σr·uⱼ, Σℓ and Σr²/v, with u = x − a, μ = mean(η),
 * v = weight(μ) and r = y − μ — the weighted Gram and the gradient of the quadratic model at β,
 * and the loss there. With `full` false only the gradient and the loss (p + 3 sums, a far
 * cheaper scan): the weighted Gram of an earlier pass then stands in for the Hessian. Rows with
 * a missing cell are left out.
 */
export function irlsSql(
  d: EngineDialect,
  x: string[],
  y: string,
  shiftX: ArrayLike<number>,
  fam: GlmSql,
  a0: number,
  beta: ArrayLike<number>,
  full = true,
  extra: { weights?: string; offset?: string } = {},
): string {
  const p = x.length;
  const terms = [literal(a0)];
  for (let j = 0; j < p; j++) if (beta[j] !== 0) terms.push(`${literal(beta[j])} * ${num(x[j])}`);
  if (extra.offset) terms.push(num(extra.offset));
  const eta = terms.join(" + ");
  const complete = completeSql([...x, y, extra.weights, extra.offset]);
  const inner = [
    ...x.map((c, j) => `(${num(c)} - ${literal(shiftX[j])}) AS u${j}`),
    `${num(y)} AS y__`,
    `(${eta}) AS eta__`,
    `${extra.weights ? num(extra.weights) : "1.0"} AS w__`,
  ];
  const mid = [...x.map((_, j) => `u${j}`), "y__", "eta__", "w__", `${fam.mean("eta__")} AS mu__`];
  const outer = [
    ...x.map((_, j) => `u${j}`),
    "y__",
    "eta__",
    "w__",
    "mu__",
    `${fam.weight("mu__")} AS v__`,
  ];
  // with observation weights w, every term is weighted: v → w·v, r → w·r, ℓ → w·ℓ
  const gram = [
    "sum(w__ * v__)",
    ...x.map((_, j) => `sum(w__ * v__ * u${j})`),
    ...Array.from({ length: p }, (_, j) =>
      Array.from({ length: p - j }, (_, t) => `sum(w__ * v__ * u${j} * u${j + t})`),
    ).flat(),
  ];
  const sums = [
    ...(full ? gram : []),
    "sum(w__ * (y__ - mu__))",
    ...x.map((_, j) => `sum(w__ * (y__ - mu__) * u${j})`),
    `sum(w__ * ${fam.loss("y__", "eta__")})`,
    "sum(w__ * (y__ - mu__) * (y__ - mu__) / v__)",
  ];
  return (
    `SELECT ${sums.join(", ")} FROM (SELECT ${outer.join(", ")} FROM (SELECT ${mid.join(", ")} FROM ` +
    `(SELECT ${inner.join(", ")} FROM ${d.relation} WHERE ${complete}) AS t1) AS t2) AS t3`
  );
}
