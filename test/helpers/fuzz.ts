import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../src/errors.js";
import { readMatrixMarket, readSvmlight } from "../../src/io/sparseText.js";
import { readTable, type ReadTableOptions } from "../../src/io/table.js";
import { validateModel } from "../../src/model/model.js";
import { Random } from "../../src/random.js";

/** Cells a malformed data file is made of: numbers, text, missing spellings, quotes, junk. */
const CELLS = [
  "1",
  "-2.5",
  "1e300",
  "1e999",
  "0x1F",
  "NaN",
  "nan",
  "Inf",
  "-Infinity",
  "",
  "NA",
  "N/A",
  "null",
  " 3 ",
  "yes",
  "no",
  '"quoted, comma"',
  '"line\nbreak"',
  '"unterminated',
  'a"b',
  "é",
  "🙂",
  "\u0000",
  "x".repeat(200),
  "1,2",
  "\t",
  "#comment",
  "TRUE",
  "2024-01-01",
];

/** One seeded malformed (or sometimes well-formed) CSV/TSV/JSON-lines text. */
export function fuzzText(rng: Random, kind: "csv" | "tsv" | "json"): string {
  const cols = 1 + Math.floor(rng.uniform() * 5);
  const rows = Math.floor(rng.uniform() * 8);
  const pick = () =>
    rng.uniform() < 0.5
      ? String(Math.round(rng.normal() * 100) / 10)
      : CELLS[Math.floor(rng.uniform() * CELLS.length)];
  if (kind === "json") {
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const r = rng.uniform();
      if (r < 0.1) lines.push(pick());
      else {
        const obj: Record<string, unknown> = {};
        for (let c = 0; c < cols; c++) {
          const v = pick();
          obj[rng.uniform() < 0.1 ? "a" : `c${c}`] =
            rng.uniform() < 0.5 && Number.isFinite(Number(v)) && v.trim() !== ""
              ? Number(v)
              : rng.uniform() < 0.1
                ? [v]
                : v;
        }
        lines.push(JSON.stringify(obj));
      }
    }
    return lines.join("\n");
  }
  const sep = kind === "tsv" ? "\t" : ",";
  const header = Array.from({ length: cols }, (_, c) =>
    rng.uniform() < 0.05 ? pick() : rng.uniform() < 0.05 ? "c0" : `c${c}`,
  );
  const lines = [header.join(sep)];
  for (let i = 0; i < rows; i++) {
    const k = rng.uniform() < 0.1 ? cols + (rng.uniform() < 0.5 ? 1 : -1) : cols;
    lines.push(Array.from({ length: Math.max(k, 0) }, pick).join(sep));
  }
  let text = lines.join(rng.uniform() < 0.1 ? "\r\n" : "\n");
  if (rng.uniform() < 0.05) text = "\ufeff" + text;
  if (rng.uniform() < 0.05) text = text.slice(0, Math.floor(rng.uniform() * text.length));
  return text;
}

/** A model document broken in one seeded way (or left whole). */
export function fuzzModel(rng: Random, good: Record<string, unknown>): string {
  const m: Record<string, unknown> = JSON.parse(JSON.stringify(good));
  const keys = Object.keys(m);
  const junk: unknown[] = [
    0,
    -1,
    1.5,
    null,
    "",
    "x",
    [],
    {},
    [1, 1],
    ["a", "a"],
    [[1]],
    true,
    Number.MAX_VALUE * 10,
  ];
  const r = rng.uniform();
  const pick = <T>(a: T[]) => a[Math.floor(rng.uniform() * a.length)];
  if (r < 0.6) m[pick(keys)] = pick(junk);
  else if (r < 0.7) delete m[pick(keys)];
  else if (r < 0.75) return JSON.stringify(m).replace(/\d+\.\d+/, "NaN");
  else if (r < 0.8) return JSON.stringify(m).replace(/"gaussian"|"binomial"/, '"gaus\nsian"');
  else if (r < 0.85) {
    const s = JSON.stringify(m);
    return s.slice(0, Math.floor(rng.uniform() * s.length));
  } else if (r < 0.9)
    m.encodings = [{ column: "c", levels: ["a"], names: [pick(["c=a", "nope", 3])] }];
  else if (r < 0.95)
    m.classes = pick([
      [1, 1],
      ["a", ["b"]],
      [{}, 2],
      ["x", "y", "z"],
    ]);
  return JSON.stringify(m);
}

/** Tokens a malformed svmlight line is made of. */
const SVM_TOKENS = [
  "1:1",
  "2:0.5",
  "3:-2",
  "10:1e300",
  "0:1",
  "2:1",
  "1:",
  ":3",
  "a:1",
  "4:NaN",
  "qid:2",
  "5:1e999",
  "#",
  "7:x",
  "99999999999:1",
  "3:0",
];
/** Lines a malformed Matrix Market file is made of. */
const MTX_LINES = [
  "%%MatrixMarket matrix coordinate real general",
  "%%MatrixMarket matrix coordinate pattern general",
  "%%MatrixMarket matrix array real general",
  "%%MatrixMarket matrix coordinate real symmetric",
  "% comment",
  "3 3 2",
  "3 3 9",
  "0 0 0",
  "1 1 1",
  "2 3 -4.5",
  "3 1 1e999",
  "4 1 1",
  "1 1",
  "2 2 x",
  "1 1 1 1",
  "",
];

/** One seeded malformed (or sometimes well-formed) svmlight or Matrix Market text. */
export function fuzzSparse(rng: Random, kind: "svm" | "mtx"): string {
  const pick = <T>(a: T[]) => a[Math.floor(rng.uniform() * a.length)];
  const lines: string[] = [];
  const count = Math.floor(rng.uniform() * 6);
  if (kind === "mtx") {
    if (rng.uniform() < 0.8)
      lines.push(MTX_LINES[rng.uniform() < 0.7 ? 0 : Math.floor(rng.uniform() * 4)]);
    if (rng.uniform() < 0.8) lines.push(rng.uniform() < 0.6 ? "3 3 2" : pick(MTX_LINES));
    for (let t = 0; t < count; t++)
      lines.push(rng.uniform() < 0.5 ? pick(["1 1 1", "2 3 -4.5", "3 2 7"]) : pick(MTX_LINES));
  } else
    for (let t = 0; t < count; t++) {
      const label = pick(["+1", "-1", "0", "2.5", "x", "", "1:1", "#"]);
      const tokens = Array.from({ length: Math.floor(rng.uniform() * 4) }, () => pick(SVM_TOKENS));
      lines.push([label, ...tokens].join(rng.uniform() < 0.9 ? " " : "\t"));
    }
  return lines.join(rng.uniform() < 0.9 ? "\n" : "\r\n");
}

/** The outcome of one input: read, or refused with a one-line InputError; anything else fails. */
export type Outcome = "ok" | "refused" | { failure: string };

/** Reads one fuzzed file; an InputError must be one line. */
export async function tryRead(file: string, options: ReadTableOptions): Promise<Outcome> {
  try {
    await readTable(file, options);
    return "ok";
  } catch (e) {
    if (e instanceof InputError && !e.message.includes("\n") && e.message.length < 600)
      return "refused";
    return { failure: `${file}: ${(e as Error).stack ?? String(e)}` };
  }
}

/** Runs `count` seeded cases of the readers and the model loader in `dir`; returns failures. */
export async function fuzz(
  seed: number,
  count: number,
  dir: string,
  goodModel: Record<string, unknown>,
): Promise<{ ok: number; refused: number; failures: string[] }> {
  const rng = new Random(seed);
  let ok = 0;
  let refused = 0;
  const failures: string[] = [];
  for (let t = 0; t < count; t++) {
    let out: Outcome;
    const r = rng.uniform();
    if (r < 0.2) {
      const text = fuzzModel(rng, goodModel);
      try {
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch {
          doc = undefined;
        }
        if (doc === undefined) out = "refused";
        else {
          validateModel(doc, "m.json");
          out = "ok";
        }
      } catch (e) {
        out =
          e instanceof InputError && !e.message.includes("\n")
            ? "refused"
            : { failure: `model ${text.slice(0, 200)}: ${(e as Error).stack}` };
      }
    } else if (r < 0.3) {
      const kind = r < 0.25 ? "svm" : "mtx";
      const file = join(dir, `s${t % 50}.${kind}`);
      writeFileSync(file, fuzzSparse(rng, kind));
      const labels = join(dir, `s${t % 50}.labels`);
      writeFileSync(labels, "1\n0\n1\n".slice(0, Math.floor(rng.uniform() * 7)));
      try {
        if (kind === "svm") readSvmlight(file);
        else readMatrixMarket(file, labels);
        out = "ok";
      } catch (e) {
        out =
          e instanceof InputError && !e.message.includes("\n") && e.message.length < 600
            ? "refused"
            : { failure: `${file}: ${(e as Error).stack ?? String(e)}` };
      }
    } else {
      const kind = r < 0.75 ? "csv" : r < 0.88 ? "tsv" : "json";
      const file = join(dir, `f${t % 50}.${kind === "json" ? "jsonl" : kind}`);
      writeFileSync(file, fuzzText(rng, kind));
      out = await tryRead(file, {
        missing: (["error", "drop", "mean"] as const)[Math.floor(rng.uniform() * 3)],
        categorical: rng.uniform() < 0.5 ? "auto" : "none",
        lastIsTarget: true,
      });
    }
    if (out === "ok") ok++;
    else if (out === "refused") refused++;
    else failures.push(out.failure);
  }
  return { ok, refused, failures };
}
