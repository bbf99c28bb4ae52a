import { InputError } from "../errors.js";
import { NumberColumn, TextColumn, type ColumnAcc } from "./columns.js";
import type { DataTable, ReadTableOptions, TableFormat } from "./types.js";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const NON_FINITE = /^[-+]?(nan|inf|infinity)$/i;
/** Missing-cell spellings in text files (after trimming). */
export const MISSING_TEXT = ["", "NA", "N/A", "null"];
const MAX_LEVELS = 1000;

/** A cell quoted for an error message: at most about 60 characters, control characters escaped. */
export function quoteCell(s: string): string {
  const short = s.length > 60 ? `${s.slice(0, 57)}…` : s;
  let out = "";
  for (const ch of short) {
    const code = ch.charCodeAt(0);
    out += code < 32 || code === 127 ? JSON.stringify(ch).slice(1, -1) : ch;
  }
  return `'${out}'`;
}

/** A column as read, with its role in the table. */
export interface ReadColumn {
  name: string;
  role: "feature" | "target" | "keep";
  acc: ColumnAcc;
}

/** What each dictionary entry of a text column means. */
const enum Entry {
  Missing = 0,
  Number = 1,
  NonFinite = 2,
  Text = 3,
}

/**
 * Turns the accumulated columns into the numeric table: applies the missing-value policy, decides
 * number against text per column (text cells of CSV/TSV that all read as numbers are numbers),
 * one-hot encodes text features (`categorical: "auto"`), codes a text target as class labels, and
 * packs every output column into one buffer — the features first (column-major, contiguous), the
 * target last. Rows are numbered from 1 (the first data row) in every message.
 */
export function assemble(
  file: string,
  format: TableFormat,
  cols: ReadColumn[],
  o: ReadTableOptions,
  shared?: Float64Array,
): DataTable {
  const n0 = cols.length ? cols[0].acc.nRows : 0;
  if (n0 === 0)
    throw new InputError(
      `${file}: ${format === "csv" || format === "tsv" ? "has a header row but " : "has "}no data rows`,
      { file },
    );
  const textCells = format === "csv" || format === "tsv";
  const missingPolicy = o.missing ?? "error";
  const at = (row: number, column: string) => `${file}: row ${row}, column '${column}'`;

  // ---- classify text columns: entries as missing / number / text ----
  interface Text {
    codes: Int32Array;
    kinds: Uint8Array;
    values: Float64Array;
    numeric: boolean;
  }
  const texts = new Map<ReadColumn, Text>();
  for (const c of cols) {
    if (!(c.acc instanceof TextColumn) || c.role === "keep") continue;
    const levels = c.acc.levels;
    const kinds = new Uint8Array(levels.length);
    const values = new Float64Array(levels.length);
    let numeric = !o.textColumns?.includes(c.name);
    levels.forEach((s, k) => {
      const t = textCells ? s.trim() : s;
      if (textCells && MISSING_TEXT.includes(t)) kinds[k] = Entry.Missing;
      else if (textCells && NUMBER.test(t)) {
        kinds[k] = Entry.Number;
        values[k] = Number(t);
      } else if (textCells && NON_FINITE.test(t)) kinds[k] = Entry.NonFinite;
      else {
        kinds[k] = Entry.Text;
        numeric = false;
      }
    });
    texts.set(c, { codes: c.acc.codes(), kinds, values, numeric });
  }
  /** Row i of column c is missing. */
  const missingMask = (c: ReadColumn): Uint8Array | null => {
    const t = texts.get(c);
    if (t) {
      if (!t.kinds.includes(Entry.Missing) && !t.codes.includes(-1)) return null;
      return Uint8Array.from(t.codes, (code) =>
        code < 0 || t.kinds[code] === Entry.Missing ? 1 : 0,
      );
    }
    const acc = c.acc as NumberColumn;
    if (acc.nMissing === 0) return null;
    const mask = new Uint8Array(n0);
    let at = 0;
    acc.chunks.forEach((v, ch) => {
      const m = acc.missing[ch];
      if (m) mask.set(m, at);
      at += v.length;
    });
    return mask;
  };

  // ---- the missing-value policy: which rows stay ----
  const keep = new Uint8Array(n0).fill(1);
  let firstMissing: { row: number; column: string } | undefined;
  for (const c of cols) {
    if (c.role === "keep") continue;
    const mask = missingMask(c);
    if (!mask) continue;
    const first = mask.indexOf(1);
    if (missingPolicy === "error") {
      if (!firstMissing || first + 1 < firstMissing.row)
        firstMissing = { row: first + 1, column: c.name };
      continue;
    }
    if (missingPolicy === "drop" || c.role === "target")
      for (let i = first; i < n0; i++) if (mask[i]) keep[i] = 0;
  }
  if (firstMissing)
    throw new InputError(
      `${at(firstMissing.row, firstMissing.column)}: missing value (choose --missing drop or --missing mean)`,
      { file, row: firstMissing.row, column: firstMissing.column },
    );
  const droppedRows: number[] = [];
  for (let i = 0; i < n0; i++) if (!keep[i]) droppedRows.push(i + 1);
  const n = n0 - droppedRows.length;
  if (n === 0)
    throw new InputError(`${file}: no rows left after dropping rows with missing values`, { file });
  const rowNumbers = droppedRows.length
    ? Int32Array.from({ length: n0 }, (_, i) => i + 1).filter((_, i) => keep[i] === 1)
    : undefined;

  // ---- output columns ----
  interface Out {
    name: string;
    source: ReadColumn;
    /** one-hot: the level this column flags */
    level?: number;
  }
  const features: Out[] = [];
  let targetOut: Out | undefined;
  const encodings: DataTable["encodings"] = [];
  let targetLevels: string[] | undefined;
  let targetLevelOf: Int32Array | undefined;
  const names = new Set(cols.map((c) => c.name));
  const firstText = (t: Text) => {
    for (let i = 0; i < n0; i++) {
      const code = t.codes[i];
      if (code >= 0 && t.kinds[code] === Entry.Text) return i;
    }
    return -1;
  };
  for (const c of cols) {
    if (c.role === "keep") continue;
    const t = texts.get(c);
    if (!t || t.numeric) {
      if (t) {
        const bad = t.kinds.indexOf(Entry.NonFinite);
        if (bad >= 0) {
          const row = Array.prototype.findIndex.call(t.codes, (k: number) => k === bad) + 1;
          throw new InputError(
            `${at(row, c.name)}: value ${quoteCell((c.acc as TextColumn).levels[bad])} is not a finite number`,
            { file, row, column: c.name },
          );
        }
      }
      if (c.role === "target") targetOut = { name: c.name, source: c };
      else features.push({ name: c.name, source: c });
      continue;
    }
    const levelsAll = (c.acc as TextColumn).levels;
    // distinct labels present in the kept rows, sorted
    const used = new Uint8Array(levelsAll.length);
    for (let i = 0; i < n0; i++) if (keep[i] && t.codes[i] >= 0) used[t.codes[i]] = 1;
    const present = levelsAll
      .map((s, k) => ({ s: textCells ? s.trim() : s, k }))
      .filter(({ k }) => used[k] && t.kinds[k] !== Entry.Missing);
    const levels = [...new Set(present.map((e) => e.s))].sort();
    const index = new Map(levels.map((s, k) => [s, k]));
    const levelOf = new Int32Array(levelsAll.length).fill(-1);
    for (const e of present) levelOf[e.k] = index.get(e.s)!;
    if (c.role === "target") {
      targetLevels = levels;
      targetLevelOf = levelOf;
      targetOut = { name: c.name, source: c };
      continue;
    }
    if (
      o.categorical !== "auto" ||
      (o.categoricalColumns !== undefined && !o.categoricalColumns.includes(c.name))
    ) {
      const row = firstText(t) + 1;
      throw new InputError(
        `${at(row, c.name)}: value ${quoteCell(levelsAll[t.codes[row - 1]])} is not numeric${o.categoricalColumns ? "" : " (--categorical auto one-hot encodes text columns; --ignore leaves a column out)"}`,
        { file, row, column: c.name },
      );
    }
    if (levels.length > MAX_LEVELS)
      throw new InputError(
        `${file}: column '${c.name}' has ${levels.length} distinct text values; too many to one-hot encode (at most ${MAX_LEVELS})`,
        { file, column: c.name },
      );
    const made = levels.map((l) => `${c.name}=${l}`);
    for (const m of made)
      if (names.has(m))
        throw new InputError(
          `${file}: one-hot column ${quoteCell(m)} would clash with an existing column`,
          {
            file,
            column: c.name,
          },
        );
    encodings.push({ column: c.name, levels, names: made });
    levels.forEach((_, k) => features.push({ name: made[k], source: c, level: k }));
    (t as Text & { levelOf?: Int32Array }).levelOf = levelOf;
  }

  // ---- one buffer: features (contiguous, column-major), then the target ----
  const nOut = features.length + (targetOut ? 1 : 0);
  const outs = targetOut ? [...features, targetOut] : features;
  // The reader's buffer already holds every output column in place when no row was dropped and
  // every output is a numeric column: then nothing is copied.
  const inPlace =
    shared !== undefined &&
    n === n0 &&
    shared.length === n * nOut &&
    outs.every((out, j) => {
      const acc = out.source.acc;
      return (
        acc instanceof NumberColumn &&
        acc.chunks.length === 1 &&
        acc.chunks[0].buffer === shared.buffer &&
        acc.chunks[0].byteOffset === shared.byteOffset + j * n * 8
      );
    });
  const buffer = inPlace ? shared : new Float64Array(n * nOut);
  const imputed: DataTable["imputed"] = [];
  outs.forEach((out, j) => {
    const col = buffer.subarray(j * n, (j + 1) * n);
    const c = out.source;
    const t = texts.get(c) as (Text & { levelOf?: Int32Array }) | undefined;
    let nMiss = 0;
    let sum = 0;
    const missRows: number[] = [];
    if (!t) {
      const acc = c.acc as NumberColumn;
      let i = 0;
      let to = 0;
      for (let ch = 0; ch < acc.chunks.length; ch++) {
        const v = acc.chunks[ch];
        const m = acc.missing[ch];
        for (let r = 0; r < v.length; r++, i++) {
          if (!keep[i]) continue;
          if (m !== null && m[r]) {
            missRows.push(to++);
            continue;
          }
          const x = v[r];
          if (x - x !== 0)
            throw new InputError(
              `${at(i + 1, c.name)}: value '${x !== x ? "NaN" : x > 0 ? "Inf" : "-Inf"}' is not a finite number`,
              {
                file,
                row: i + 1,
                column: c.name,
              },
            );
          if (!inPlace) col[to] = x;
          to++;
          sum += x;
        }
      }
      nMiss = missRows.length;
    } else if (out === targetOut && targetLevelOf) {
      let to = 0;
      for (let i = 0; i < n0; i++) if (keep[i]) col[to++] = targetLevelOf[t.codes[i]];
    } else if (out.level !== undefined) {
      let to = 0;
      let count = 0;
      for (let i = 0; i < n0; i++) {
        if (!keep[i]) continue;
        const code = t.codes[i];
        if (code < 0 || t.kinds[code] === Entry.Missing) missRows.push(to);
        else if (t.levelOf![code] === out.level) {
          col[to] = 1;
          count++;
        }
        to++;
      }
      // a missing label under --missing mean: the level's frequency
      const freq = count / (n - missRows.length);
      for (const r of missRows) col[r] = freq;
      return;
    } else {
      let to = 0;
      for (let i = 0; i < n0; i++) {
        if (!keep[i]) continue;
        const code = t.codes[i];
        if (code < 0 || t.kinds[code] === Entry.Missing) missRows.push(to);
        else {
          col[to] = t.values[code];
          sum += col[to];
        }
        to++;
      }
      nMiss = missRows.length;
    }
    if (nMiss > 0) {
      const mean = sum / (n - nMiss);
      for (const r of missRows) col[r] = mean;
      imputed.push({ column: c.name, mean, count: nMiss });
    }
  });

  const kept: Record<string, string[]> = {};
  for (const c of cols) {
    if (c.role !== "keep") continue;
    const acc = c.acc as TextColumn;
    const out: string[] = [];
    let i = 0;
    for (const codes of acc.chunks)
      for (let r = 0; r < codes.length; r++, i++)
        if (keep[i]) out.push(codes[r] < 0 ? "" : acc.levels[codes[r]]);
    kept[c.name] = out;
  }

  return {
    file,
    format,
    names: outs.map((out) => out.name),
    nRows: n,
    columns: outs.map((_, j) => buffer.subarray(j * n, (j + 1) * n)),
    featureData: buffer.subarray(0, n * features.length),
    target: targetOut?.name,
    encodings,
    targetLevels,
    droppedRows,
    rowNumbers,
    imputed,
    kept,
  };
}
