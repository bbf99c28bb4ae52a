/**
 * Column accumulators of the reader: values arrive in batches (DuckDB chunks of 2048 rows, Arrow
 * record batches) and are kept as typed arrays — one Float64Array per batch for a numeric column,
 * dictionary codes (Int32Array) for a text column — until the whole file is read.
 */

/** A numeric column: its batches and, where a batch has missing cells, a 0/1 mask per row. */
export class NumberColumn {
  readonly kind = "number";
  readonly chunks: Float64Array[] = [];
  /** 1 = missing; null for a batch without missing cells. */
  readonly missing: (Uint8Array | null)[] = [];
  nRows = 0;
  nMissing = 0;
  /** A preallocated home for every value (see `reserve`), filled in place. */
  private slot: Float64Array | null = null;

  /** Makes `slot` (as long as the table) the column's one batch: values are copied there. */
  reserve(slot: Float64Array): void {
    this.slot = slot;
    this.chunks.push(slot);
    this.missing.push(null);
  }

  /** Copies `rows` values; `validity` is DuckDB's / Arrow's bitmask (bit set = present) or null. */
  push(values: ArrayLike<number>, rows: number, validity: Uint8Array | null): void {
    const slot = this.slot;
    const at = slot ? this.nRows : 0;
    const dest = slot ?? new Float64Array(rows);
    if (values instanceof Float64Array) dest.set(values.subarray(0, rows), at);
    else for (let i = 0; i < rows; i++) dest[at + i] = values[i];
    if (!slot) {
      this.chunks.push(dest);
      this.missing.push(null);
    }
    const k = this.missing.length - 1;
    if (validity)
      // a byte at a time: a byte of eight present rows (0xff) is skipped
      for (let b = 0, nb = (rows + 7) >> 3; b < nb; b++) {
        if (validity[b] === 0xff) continue;
        for (let i = b << 3, end = Math.min(i + 8, rows); i < end; i++)
          if (!((validity[b] >> (i & 7)) & 1)) {
            const m = (this.missing[k] ??= new Uint8Array(dest.length));
            m[at + i] = 1;
            this.nMissing++;
          }
      }
    this.nRows += rows;
  }
}

/** A text column, dictionary-encoded: `levels[code]`, code −1 for a missing (null) cell. */
export class TextColumn {
  readonly kind = "text";
  readonly chunks: Int32Array[] = [];
  readonly levels: string[] = [];
  private readonly dict = new Map<string, number>();
  nRows = 0;

  /** Adds `rows` cells read by `get` (null = missing). */
  push(get: (i: number) => string | null, rows: number): void {
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const s = get(i);
      if (s === null) {
        codes[i] = -1;
        continue;
      }
      let c = this.dict.get(s);
      if (c === undefined) {
        c = this.levels.length;
        this.dict.set(s, c);
        this.levels.push(s);
      }
      codes[i] = c;
    }
    this.chunks.push(codes);
    this.nRows += rows;
  }

  /** The code of every row, in one array. */
  codes(): Int32Array {
    const out = new Int32Array(this.nRows);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export type ColumnAcc = NumberColumn | TextColumn;
