import { open } from "node:fs/promises";
import type { Vector } from "apache-arrow";
import { InputError } from "../errors.js";
import type { ReadColumn } from "./assemble.js";
import { NumberColumn, TextColumn } from "./columns.js";

/**
 * Reads an Arrow IPC file or stream (.arrow, .feather v2, .ipc) record batch by record batch:
 * numeric and boolean columns are copied from their typed arrays, text (and dictionary-encoded
 * text) is dictionary-coded. `plan` picks the columns and their roles from the schema's names.
 */
export async function readArrow(
  file: string,
  plan: (names: string[]) => { name: string; role: ReadColumn["role"] }[],
  budget: number,
  textColumns: string[] = [],
): Promise<ReadColumn[]> {
  // Loaded on first use: only Arrow files need it.
  const { DataType, RecordBatchReader } = await import("apache-arrow");
  const handle = await open(file, "r");
  try {
    let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
    try {
      reader = await RecordBatchReader.from(handle);
      await reader.open();
    } catch (e) {
      throw notArrow(file, e);
    }
    const fields = reader.schema.fields;
    const roles = plan(fields.map((f) => f.name));
    const index = new Map(fields.map((f, c) => [f.name, c]));
    const cols: ReadColumn[] = roles.map((r) => {
      const type = fields[index.get(r.name)!].type;
      const text =
        r.role === "keep" ||
        textColumns.includes(r.name) ||
        DataType.isUtf8(type) ||
        DataType.isLargeUtf8(type) ||
        (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary));
      if (!text && !DataType.isInt(type) && !DataType.isFloat(type) && !DataType.isBool(type))
        throw new InputError(
          `${file}: column '${r.name}' has type ${String(type)}, which is neither numeric nor text`,
          { file, column: r.name },
        );
      return { ...r, acc: text ? new TextColumn() : new NumberColumn() };
    });
    let total = 0;
    const bytesPerRow = cols.length * 8;
    try {
      for await (const batch of reader) {
        const rows = batch.numRows;
        cols.forEach((c) => {
          const v = batch.getChildAt(index.get(c.name)!) as Vector;
          if (c.acc instanceof NumberColumn) {
            const present = v.nullCount > 0 ? validityOf(v, rows) : null;
            const values = DataType.isBool(v.type)
              ? Float64Array.from({ length: rows }, (_, i) => (v.get(i) ? 1 : 0))
              : typeof v.get(0) === "bigint"
                ? Float64Array.from({ length: rows }, (_, i) => Number(v.get(i) ?? 0))
                : (v.toArray() as ArrayLike<number>);
            c.acc.push(values, rows, present);
          } else {
            c.acc.push((i) => {
              const s: unknown = v.get(i);
              return s === null || s === undefined ? null : String(s);
            }, rows);
          }
        });
        total += rows;
        if (total * bytesPerRow > budget)
          throw new InputError(
            `${file}: more than ${total.toLocaleString("en-US")} rows × ${cols.length} columns exceed the memory budget (--memory-budget)`,
            { file },
          );
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw notArrow(file, e);
    }
    return cols;
  } finally {
    await handle.close();
  }
}

/** A validity bitmask (bit set = present) for a vector with nulls. */
function validityOf(v: Vector, rows: number): Uint8Array {
  const mask = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (v.isValid(i)) mask[i >> 3] |= 1 << (i & 7);
  return mask;
}

function notArrow(file: string, e: unknown): InputError {
  const reason = String((e as Error).message ?? e)
    .split("\n")[0]
    .slice(0, 160);
  return new InputError(`${file}: not a readable Arrow IPC file (${reason})`, { file });
}
