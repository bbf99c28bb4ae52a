// Readers for sparse text formats (Node only): svmlight / libsvm and Matrix Market coordinate
// files. Both give a CSC design that is never densified.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { extname } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { csrMatrix, type CscMatrix } from "../data/matrix.js";
import { InputError } from "../errors.js";
import { quoteCell } from "./assemble.js";

export type SparseFormat = "svmlight" | "mtx";

/** The sparse format of a data file by its extension (.svm, .svmlight, .libsvm, .mtx), else null. */
export function sparseFormatOf(file: string): SparseFormat | null {
  const ext = extname(file).toLowerCase();
  if (ext === ".svm" || ext === ".svmlight" || ext === ".libsvm") return "svmlight";
  if (ext === ".mtx") return "mtx";
  return null;
}

/** A sparse design read from a file: CSC features, and the labels as read. */
export interface SparseData {
  x: CscMatrix;
  /** One label per row (svmlight: the first token; Matrix Market: the label file's lines). */
  labels: string[];
}

/** Calls `line(text, number)` for each line of a file (without its \\r\\n), read in 16 MiB chunks. */
function eachLine(file: string, line: (text: string, number: number) => void): void {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? `${file}: no such file` : `${file}: cannot be read (${code ?? e})`,
      { file },
    );
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new InputError(`${file}: is a directory`, { file });
    const buf = Buffer.alloc(16 * 2 ** 20);
    const decoder = new StringDecoder("utf8");
    let rest = "";
    let number = 0;
    const emit = (l: string) => line(l.endsWith("\r") ? l.slice(0, -1) : l, ++number);
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const lines = (rest + decoder.write(buf.subarray(0, got))).split("\n");
      rest = lines.pop()!;
      for (const l of lines) emit(l);
    }
    rest += decoder.end();
    if (rest !== "") emit(rest);
  } finally {
    closeSync(fd);
  }
}

/** Grows a typed array to hold at least `need` entries. */
function room<T extends Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, 2 * a.length));
  next.set(a);
  return next;
}

/** CSC from row-ordered triplets (rows non-decreasing), p columns. */
function rowTriplets(
  n: number,
  p: number,
  rows: Int32Array,
  cols: Int32Array,
  vals: Float64Array,
  nnz: number,
): CscMatrix {
  const rowPtr = new Int32Array(n + 1);
  for (let k = 0; k < nnz; k++) rowPtr[rows[k] + 1]++;
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  return csrMatrix(n, p, rowPtr, cols.subarray(0, nnz), vals.subarray(0, nnz));
}

/**
 * Reads an svmlight / libsvm file: one row per line, `label index:value index:value … [# comment]`,
 * indices 1-based and increasing along a line (feature j of the design is index j + 1); blank
 * lines and lines starting with # are skipped; `qid:` tokens (ranking data) are refused. Every
 * problem names the file and line.
 *
 * @example
 * ```ts
 * const { x, labels } = readSvmlight("news.svm"); // x: CSC, labels: ["+1", "-1", …]
 * ```
 */
export function readSvmlight(file: string): SparseData {
  let rows = new Int32Array(1 << 16);
  let cols = new Int32Array(1 << 16);
  let vals = new Float64Array(1 << 16);
  let nnz = 0;
  let p = 0;
  const labels: string[] = [];
  eachLine(file, (text, number) => {
    const hash = text.indexOf("#");
    const body = (hash >= 0 ? text.slice(0, hash) : text).trim();
    if (body === "") return;
    const tokens = body.split(/[ \t]+/);
    const at = (what: string) =>
      new InputError(`${file}: line ${number}: ${what}`, { file, row: labels.length + 1 });
    const label = tokens[0];
    if (label.includes(":"))
      throw at(`the line starts with ${quoteCell(label)}, not a label (label index:value …)`);
    if (!Number.isFinite(Number(label)))
      throw at(`label ${quoteCell(label)} is not a finite number`);
    const row = labels.length;
    labels.push(label);
    rows = room(rows, nnz + tokens.length);
    cols = room(cols, nnz + tokens.length);
    vals = room(vals, nnz + tokens.length);
    let last = 0;
    for (let t = 1; t < tokens.length; t++) {
      const tok = tokens[t];
      const colon = tok.indexOf(":");
      if (colon <= 0) throw at(`${quoteCell(tok)} is not index:value`);
      const key = tok.slice(0, colon);
      if (key === "qid")
        throw at("qid: (ranking data) is not supported; remove the qid tokens to fit the labels");
      const index = Number(key);
      if (!Number.isInteger(index) || index < 1)
        throw at(
          `index ${quoteCell(key)} is not an integer ≥ 1 (svmlight indices are 1-based${index === 0 ? "; this file may be 0-based" : ""})`,
        );
      if (index <= last)
        throw at(
          `index ${index} ${index === last ? "appears twice" : `comes after ${last}`} (indices must increase along a line)`,
        );
      if (index > 2 ** 31 - 2) throw at(`index ${index} is too large`);
      const value = Number(tok.slice(colon + 1));
      if (tok.length === colon + 1 || !Number.isFinite(value))
        throw at(
          `value ${quoteCell(tok.slice(colon + 1))} of index ${index} is not a finite number`,
        );
      last = index;
      if (value === 0) continue;
      rows[nnz] = row;
      cols[nnz] = index - 1;
      vals[nnz++] = value;
    }
    if (last > p) p = last;
  });
  if (labels.length === 0) throw new InputError(`${file}: no data lines`, { file });
  return { x: rowTriplets(labels.length, p, rows, cols, vals, nnz), labels };
}

/**
 * Reads a Matrix Market coordinate file (`%%MatrixMarket matrix coordinate real|integer|pattern
 * general`, 1-based `row column value` entries; pattern entries are 1) and the labels, one per
 * line of `labelFile` (none without it), as many as the matrix has rows. Symmetric and dense (array) files are
 * refused by name.
 *
 * @example
 * ```ts
 * const { x, labels } = readMatrixMarket("docs.mtx", "docs.labels");
 * ```
 */
export function readMatrixMarket(file: string, labelFile?: string): SparseData {
  let n = -1;
  let p = 0;
  let declared = 0;
  let pattern = false;
  let header = false;
  let rows = new Int32Array(0);
  let cols = new Int32Array(0);
  let vals = new Float64Array(0);
  let nnz = 0;
  let ordered = true;
  eachLine(file, (text, number) => {
    const at = (what: string) => new InputError(`${file}: line ${number}: ${what}`, { file });
    if (!header) {
      const m = /^%%MatrixMarket\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/i.exec(text);
      if (!m)
        throw at(
          "not a Matrix Market file (the first line must be %%MatrixMarket matrix coordinate real general)",
        );
      const [, object, layout, field, symmetry] = m.map((s) => s.toLowerCase());
      if (object !== "matrix") throw at(`object '${object}': only 'matrix' is supported`);
      if (layout !== "coordinate")
        throw at(
          `layout '${layout}': only 'coordinate' (sparse) is supported; use CSV for dense data`,
        );
      if (!["real", "integer", "pattern"].includes(field))
        throw at(`field '${field}': only real, integer or pattern is supported`);
      if (symmetry !== "general")
        throw at(`symmetry '${symmetry}': a design matrix must be 'general'`);
      pattern = field === "pattern";
      header = true;
      return;
    }
    const body = text.trim();
    if (body === "" || body.startsWith("%")) return;
    const t = body.split(/\s+/);
    if (n < 0) {
      const [r, c, z] = t.map(Number);
      if (t.length !== 3 || ![r, c, z].every((v) => Number.isInteger(v) && v >= 0))
        throw at(`the size line must be 'rows columns entries', got ${quoteCell(body)}`);
      if (r < 1 || c < 1) throw at(`the matrix is empty (${r} × ${c})`);
      n = r;
      p = c;
      declared = z;
      rows = new Int32Array(z);
      cols = new Int32Array(z);
      vals = new Float64Array(z);
      return;
    }
    if (nnz >= declared) throw at(`more entries than the ${declared} the size line declares`);
    if (t.length !== (pattern ? 2 : 3))
      throw at(`expected 'row column${pattern ? "" : " value"}', got ${quoteCell(body)}`);
    const i = Number(t[0]);
    const j = Number(t[1]);
    if (!Number.isInteger(i) || i < 1 || i > n)
      throw at(`row ${quoteCell(t[0])} is not between 1 and ${n}`);
    if (!Number.isInteger(j) || j < 1 || j > p)
      throw at(`column ${quoteCell(t[1])} is not between 1 and ${p}`);
    const v = pattern ? 1 : Number(t[2]);
    if (!Number.isFinite(v)) throw at(`value ${quoteCell(t[2])} is not a finite number`);
    if (nnz > 0 && (i - 1 < rows[nnz - 1] || (i - 1 === rows[nnz - 1] && j - 1 <= cols[nnz - 1])))
      ordered = false;
    rows[nnz] = i - 1;
    cols[nnz] = j - 1;
    vals[nnz++] = v;
  });
  if (!header) throw new InputError(`${file}: empty file`, { file });
  if (n < 0) throw new InputError(`${file}: no size line`, { file });
  if (nnz < declared)
    throw new InputError(
      `${file}: ${nnz} entries, but the size line declares ${declared} (a truncated file?)`,
      { file },
    );
  if (!ordered) sortByRow(rows, cols, vals, nnz, file);
  const labels: string[] = [];
  if (labelFile === undefined) return { x: rowTriplets(n, p, rows, cols, vals, nnz), labels };
  eachLine(labelFile, (text) => {
    const l = text.trim();
    if (l !== "") labels.push(l);
  });
  if (labels.length !== n)
    throw new InputError(
      `option '--labels': ${labelFile} has ${labels.length} labels, but ${file} has ${n} rows`,
      { option: "--labels", file: labelFile },
    );
  return { x: rowTriplets(n, p, rows, cols, vals, nnz), labels };
}

/** Sorts triplets by (row, column) and refuses a repeated entry. */
function sortByRow(
  rows: Int32Array,
  cols: Int32Array,
  vals: Float64Array,
  nnz: number,
  file: string,
): void {
  const order = Int32Array.from({ length: nnz }, (_, k) => k).sort(
    (a, b) => rows[a] - rows[b] || cols[a] - cols[b],
  );
  const r = rows.slice(0, nnz);
  const c = cols.slice(0, nnz);
  const v = vals.slice(0, nnz);
  for (let k = 0; k < nnz; k++) {
    const o = order[k];
    rows[k] = r[o];
    cols[k] = c[o];
    vals[k] = v[o];
    if (k > 0 && rows[k] === rows[k - 1] && cols[k] === cols[k - 1])
      throw new InputError(`${file}: entry (${rows[k] + 1}, ${cols[k] + 1}) appears twice`, {
        file,
      });
  }
}
