import {
  addStats,
  MAX_GRAM_FEATURES,
  statsMoments,
  type GaussianStats,
} from "../data/gramDesign.js";
import { InputError } from "../errors.js";
import type { TableEngine } from "./duckdbEngine.js";
import { checkSql, name, shiftSql, statsSql, type Folds } from "./sql.js";

/** What the Gaussian path and its CV need from an engine's table. */
export interface EngineData {
  target: string;
  features: string[];
  /** Rows scanned, and rows left out for a missing cell (`--missing drop`). */
  rows: number;
  dropped: number;
  /** One statistics object per fold (1..K), or a single one for all rows. */
  stats: GaussianStats[];
  /** Feature columns constant over the rows (coefficient 0 at every λ). */
  constant: string[];
  /** The statements issued, in order (for --verbose and the docs). */
  statements: string[];
}

/**
 * Reads a table's Gaussian sufficient statistics through an engine: three scans' worth of SQL
 * (a check of missing and non-finite cells, the shifts from the first rows, then the sums per
 * fold in one scan). The rows never come into this process.
 */
export async function gaussianFromEngine(
  engine: TableEngine,
  o: {
    target?: string;
    missing: "error" | "drop" | "mean";
    folds: Folds | null;
    /** Columns that are neither features nor the target (a fold column, an offset). */
    exclude?: string[];
    /** A column of observation weights (≥ 0): every sum is weighted, n is Σw. */
    weights?: string;
    /** Other columns to check for missing and non-finite cells (an offset). */
    checkAlso?: string[];
    /** Only these feature columns (`--features`), and columns that are not features (`--ignore`). */
    columns?: string[];
    ignore?: string[];
  },
): Promise<EngineData> {
  const src = engine.source;
  if (o.missing === "mean")
    throw new InputError(
      `option '--missing': mean needs the rows in memory; with --engine ${engine.kind} choose error or drop`,
      { option: "--missing" },
    );
  const columns = await engine.describe();
  if (columns.length === 0) throw new InputError(`${src}: has no columns`, { file: src });
  const names = columns.map((c) => c.name);
  const target = o.target ?? names[names.length - 1];
  if (!names.includes(target))
    throw new InputError(
      `${src}: no column named '${target}' (columns: ${names.slice(0, 20).join(", ")})`,
      { file: src, column: target },
    );
  for (const [flag, list] of [
    ["--features", o.columns],
    ["--ignore", o.ignore],
  ] as const)
    for (const c of list ?? []) {
      if (!names.includes(c))
        throw new InputError(`${src}: no column named '${c}' (${flag})`, { file: src, column: c });
      if (c === target)
        throw new InputError(`option '${flag}': '${c}' is the target`, { option: flag });
    }
  let folds = o.folds;
  const foldColumn = folds?.column;
  if (foldColumn !== undefined && !names.includes(foldColumn))
    throw new InputError(`${src}: no column named '${foldColumn}' (--fold-column)`, {
      file: src,
      column: foldColumn,
    });
  if (foldColumn === target)
    throw new InputError(`option '--fold-column': '${foldColumn}' is the target`, {
      option: "--fold-column",
    });
  if (o.weights !== undefined && !names.includes(o.weights))
    throw new InputError(`${src}: no column named '${o.weights}' (--weights)`, {
      file: src,
      column: o.weights,
    });
  for (const c of o.columns ?? []) {
    const role =
      c === o.weights
        ? "--weights"
        : c === foldColumn
          ? "--fold-column"
          : (o.exclude ?? []).includes(c)
            ? "--offset or --fold-column"
            : null;
    if (role)
      throw new InputError(`option '--features': '${c}' is the ${role} column, never a feature`, {
        option: "--features",
      });
  }
  const features = names.filter(
    (n) =>
      n !== target &&
      n !== foldColumn &&
      n !== o.weights &&
      !(o.exclude ?? []).includes(n) &&
      !(o.ignore ?? []).includes(n) &&
      (!o.columns || o.columns.includes(n)),
  );
  // (only the columns used: an ignored id column may hold text)
  const used = new Set([
    ...features,
    target,
    ...[foldColumn, o.weights].filter((c) => c !== undefined),
    ...(o.checkAlso ?? []),
  ]);
  for (const c of columns)
    if (used.has(c.name) && !engine.isNumeric(c.type))
      throw new InputError(
        `${src}: column '${c.name}' has type ${c.type}; the ${engine.kind} engine needs numeric columns (text columns: read the file in memory with --categorical auto, or leave them out with --ignore)`,
        { file: src, column: c.name },
      );
  if (features.length === 0)
    throw new InputError(`${src}: needs at least one feature column besides the target`, {
      file: src,
    });
  if (features.length > MAX_GRAM_FEATURES)
    throw new InputError(
      `${src}: ${features.length} features; the ${engine.kind} engine builds a p × p Gram matrix and takes at most ${MAX_GRAM_FEATURES}`,
      { file: src },
    );
  const all = [...features, target];
  const statements: string[] = [];
  const q = (sql: string) => {
    statements.push(sql);
    return engine.query(sql);
  };
  // 1. rows, missing and non-finite cells
  const checked = [...all, ...(o.weights ? [o.weights] : []), ...(o.checkAlso ?? [])];
  const check = (await q(checkSql(engine.dialect, checked, o.weights ? [o.weights] : [])))[0];
  const rows = check[0] ?? 0;
  const completeRows = check[1 + 2 * checked.length] ?? 0;
  if (o.weights && (check[2 + 2 * checked.length] ?? 0) > 0)
    throw new InputError(
      `${src}: column '${o.weights}' (--weights) has ${check[2 + 2 * checked.length]} negative values`,
      { file: src, column: o.weights },
    );
  checked.forEach((c, k) => {
    const bad = check[2 + 2 * k] ?? 0;
    if (bad > 0)
      throw new InputError(`${src}: column '${c}' has ${bad} non-finite values (NaN or ±Inf)`, {
        file: src,
        column: c,
      });
    const miss = check[1 + 2 * k] ?? 0;
    if (miss > 0 && o.missing === "error")
      throw new InputError(
        `${src}: column '${c}' has ${miss} missing values (choose --missing drop)`,
        { file: src, column: c },
      );
  });
  // the fold column: integers 1..K with every fold present
  if (foldColumn !== undefined && folds) {
    const c = name(foldColumn);
    const [[lo, hi, frac, miss]] = await q(
      `SELECT min(${c}), max(${c}), sum(CASE WHEN CAST(${c} AS DOUBLE) <> floor(CAST(${c} AS DOUBLE)) THEN 1 ELSE 0 END), ` +
        `sum(CASE WHEN ${c} IS NULL THEN 1 ELSE 0 END) FROM ${engine.dialect.relation}`,
    );
    if (
      (miss ?? 0) > 0 ||
      (frac ?? 0) > 0 ||
      !(lo !== null && lo >= 1) ||
      !(hi !== null && hi >= 2)
    )
      throw new InputError(
        `${src}: column '${foldColumn}' (--fold-column) must hold fold numbers 1, 2, …, K (integers, no missing cells, at least 2 folds)`,
        { file: src, column: foldColumn },
      );
    folds = { ...folds, K: hi };
  }
  // 2. shifts near the means
  const shifts = (await q(shiftSql(engine.dialect, all)))[0];
  if (!shifts || shifts.some((v) => v === null))
    throw new InputError(`${src}: no row without missing values`, { file: src });
  const p = features.length;
  const shiftX = Float64Array.from(shifts.slice(0, p) as number[]);
  const shiftY = shifts[p] as number;
  // 3. the sums, per fold
  const result = await q(
    statsSql(engine.dialect, features, target, shiftX, shiftY, folds, o.weights),
  );
  const stats = new Map<number, GaussianStats>();
  for (const r of result) {
    let at = 1;
    const next = () => r[at++] as number;
    const s: GaussianStats = {
      n: next(),
      shiftX,
      shiftY,
      sx: new Float64Array(p),
      sy: 0,
      sxx: new Float64Array(p * p),
      sxy: new Float64Array(p),
      syy: 0,
    };
    for (let j = 0; j < p; j++) s.sx[j] = next();
    s.sy = next();
    for (let j = 0; j < p; j++)
      for (let k = j; k < p; k++) {
        const v = next();
        s.sxx[j * p + k] = v;
        s.sxx[k * p + j] = v;
      }
    for (let j = 0; j < p; j++) s.sxy[j] = next();
    s.syy = next();
    stats.set(r[0] as number, s);
  }
  const K = folds?.K ?? 0;
  const list = folds
    ? Array.from({ length: K }, (_, f) => {
        const s = stats.get(f + 1);
        if (!s)
          throw new InputError(`${src}: fold ${f + 1} of ${K} has no rows (too few rows?)`, {
            file: src,
          });
        return s;
      })
    : [stats.get(0)!];
  if (completeRows < 2)
    throw new InputError(
      `${src}: needs at least 2 rows without missing values, got ${completeRows}`,
      { file: src },
    );
  // constant columns: zero variance over the rows used
  const { constant: flat } = statsMoments(addStats(list));
  const constant = features.filter((_, j) => flat[j]);
  return {
    target,
    features,
    rows,
    dropped: rows - completeRows,
    stats: list,
    constant,
    statements,
  };
}
