import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { parse as parseStream } from "csv-parse";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.js";
import type { ReadColumn } from "./assemble.js";
import { TextColumn } from "./columns.js";

const SAMPLE = 1 << 16;

/**
 * The header row of a CSV/TSV file (quoted fields allowed, a UTF-8 byte-order mark skipped) and
 * the average length of its first lines in bytes (to estimate the row count from the file size).
 * Reads only the start of the file.
 */
export function readHeader(
  file: string,
  delimiter: string,
): { names: string[]; lineBytes: number } {
  const fd = openSync(file, "r");
  let text = "";
  let bytes = 0;
  try {
    const buf = Buffer.alloc(SAMPLE);
    let end = -1;
    // grow the sample until it holds the first record (at most 64 MiB)
    while (end < 0 && bytes < 64 * SAMPLE * 16) {
      const got = readSync(fd, buf, 0, SAMPLE, bytes);
      if (got === 0) break;
      bytes += got;
      text += buf.toString("utf8", 0, got);
      end = recordEnd(text);
    }
  } finally {
    closeSync(fd);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "")
    throw new InputError(`${file}: the file is empty (expected a header row)`, { file });
  const end = recordEnd(text);
  const first = end < 0 ? text : text.slice(0, end);
  let names: string[];
  try {
    names = (parse(first, { delimiter, trim: true, relax_quotes: false }) as string[][])[0] ?? [];
  } catch (e) {
    throw new InputError(
      `${file}: line 1: cannot read the header row (${(e as Error).message.split("\n")[0].slice(0, 120)})`,
      { file },
    );
  }
  // bytes per line over the sample (the last, partial line left out)
  const lastNl = text.lastIndexOf("\n");
  const sample = lastNl >= 0 ? text.slice(0, lastNl + 1) : text;
  const lines = sample.split("\n").length - 1;
  const lineBytes = lines > 1 ? Buffer.byteLength(sample) / lines : 0;
  return { names, lineBytes };
}

/** The index of the newline ending the first record (outside quotes), or −1. */
function recordEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) return i;
  }
  return -1;
}

/**
 * Reads a CSV/TSV file record by record with csv-parse (streamed, never one string): the path
 * taken when DuckDB cannot read a file (mixed line endings, a layout its sniffer refuses), and
 * the one that finds and names the line of a structural problem (a ragged row, an unterminated
 * quote). Every cell arrives as text; `assemble` reads the numbers.
 */
export async function readCsvRecords(
  file: string,
  format: string,
  plan: (names: string[]) => { name: string; role: ReadColumn["role"] }[],
  budget: number,
): Promise<ReadColumn[]> {
  const parser = createReadStream(file).pipe(
    parseStream({
      delimiter: format === "tsv" ? "\t" : ",",
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }),
  );
  let cols: ReadColumn[] | undefined;
  let index: number[] = [];
  let batch: string[][] = [];
  let rows = 0;
  const flush = () => {
    for (let j = 0; j < cols!.length; j++) {
      const c = index[j];
      (cols![j].acc as TextColumn).push((i) => batch[i][c], batch.length);
    }
    rows += batch.length;
    batch = [];
    if (rows * cols!.length * 8 > budget)
      throw new InputError(
        `${file}: more than ${rows.toLocaleString("en-US")} rows × ${cols!.length} columns exceed the memory budget (--memory-budget)`,
        { file },
      );
  };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!cols) {
        const roles = plan(record);
        const at = new Map(record.map((nm, c) => [nm, c]));
        cols = roles.map((r) => ({ ...r, acc: new TextColumn() }));
        index = roles.map((r) => at.get(r.name)!);
        continue;
      }
      batch.push(record);
      if (batch.length === 2048) flush();
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as Error & { lines?: number };
    // csv-parse's "Invalid Record Length: expect 12, got 7 on line 4" names the line twice.
    const length = /^Invalid Record Length: expect (\d+), got (\d+)/.exec(err.message);
    const reason = length
      ? `${length[2]} fields where the header has ${length[1]}`
      : err.message.replace(/\s+/g, " ").slice(0, 200);
    throw new InputError(`${file}: line ${err.lines ?? "?"}: ${reason}`, {
      file,
      row: err.lines,
    });
  }
  if (!cols) throw new InputError(`${file}: the file is empty (expected a header row)`, { file });
  if (batch.length) flush();
  return cols;
}
