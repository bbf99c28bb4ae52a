import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers/fixtures.js";
import { InputError } from "../../src/errors.js";
import {
  attributeOf,
  commandOption,
  describe as describeOption,
  inFlags,
  parseOptions,
} from "../../src/cli/parse.js";
import {
  COMMANDS as ALL_COMMANDS,
  OPTIONS,
  type CommandSpec,
  type OptionKey,
  type OptionSpec,
} from "../../src/cli/schema.js";

const COMMANDS: readonly CommandSpec[] = ALL_COMMANDS;

const BIN = join(ROOT, "dist", "cli", "main.js");
const DIABETES = join(ROOT, "data", "diabetes.csv");
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const words = (s: string) => s.replace(/\s+/g, " ").trim();
const specs = Object.entries(OPTIONS) as [OptionKey, OptionSpec][];

/** The option rows of the README's table for a command: [flag, meaning]. */
function readmeRows(command: string): [string, string][] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`<summary><code>regularize ${command}</code>`);
  assert.ok(start >= 0, `README has no option table for ${command}`);
  const block = readme.slice(start, readme.indexOf("</details>", start));
  return block
    .split("\n")
    .filter((l) => l.startsWith("| `--"))
    .map((l) => {
      const cells = l.split(/(?<!\\)\|/).map((c) => c.trim());
      return [/`(--[a-z0-9-]+)`/.exec(cells[1])![1], cells[5].replace(/\\\|/g, "|")];
    });
}

/** One value of an option's type that its range refuses, if there is one. */
function outside(s: OptionSpec): string | undefined {
  if (s.min !== undefined) return String(s.min - 1);
  if (s.above !== undefined) return String(s.above);
  if (s.max !== undefined) return String(s.max + 1);
  if (s.below !== undefined) return String(s.below);
  return undefined;
}

describe("the command-line schema", () => {
  it("writes the README's option tables (scripts/cli-docs.mjs --check)", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "cli-docs.mjs"), "--check"], {
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${COMMANDS.length} option tables match`));
  });

  for (const c of COMMANDS) {
    it(`regularize ${c.name} --help lists exactly the README table's options, in its words`, () => {
      const r = run(c.name, "--help");
      assert.equal(r.code, 0, r.err);
      const help = words(r.out);
      const rows = readmeRows(c.name);
      const shown = [...r.out.matchAll(/^ {2}(--[a-z0-9-]+)/gm)].map((m) => m[1]);
      assert.deepEqual(
        shown.filter((f) => f !== "--help"),
        rows.map(([flag]) => flag),
      );
      for (const [flag, meaning] of rows) {
        const key = c.options.find((k) => OPTIONS[k].flag === flag && !("hidden" in OPTIONS[k]))!;
        assert.ok(meaning.endsWith(c.help?.[key] ?? OPTIONS[key].help));
        assert.ok(
          help.includes(words(describeOption(commandOption(c, key), c.help?.[key]))),
          `${c.name} --help has no line for ${flag} as the schema describes it`,
        );
      }
      for (const example of c.examples) assert.ok(r.out.includes(example));
    });
  }

  it("has one flag per concept: no command takes a flag twice, and a flag means one thing", () => {
    for (const c of COMMANDS) {
      const flags = c.options.map((k) => OPTIONS[k].flag);
      assert.equal(new Set(flags).size, flags.length, `${c.name} repeats a flag`);
    }
    // Two schema rows share a flag only as one concept worded for a command (explain's one λ,
    // demo's report path): same flag, never in the same command.
    const byFlag = new Map<string, OptionKey[]>();
    for (const [k, s] of specs) byFlag.set(s.flag, [...(byFlag.get(s.flag) ?? []), k]);
    const shared = [...byFlag.values()].filter((ks) => ks.length > 1);
    assert.deepEqual(
      shared.map((ks) => ks.sort()),
      [
        ["lambda", "lambdaAt"],
        ["demoReport", "report"],
      ].map((ks) => ks.sort()),
    );
  });

  it("parses every default, and refuses every out-of-range or unknown value naming the flag", () => {
    let refused = 0;
    for (const [key, s] of specs) {
      const keys = [key, "family"] as OptionKey[];
      const parsed = parseOptions(keys, s.required ? { [attributeOf(s.flag)]: "1" } : {});
      if (s.default !== undefined) assert.notEqual(parsed[key as "family"], undefined, key);
      const bad: string[] = [];
      const o = outside(s);
      if (o !== undefined) bad.push(o);
      if (["number", "integer", "numbers", "integers", "size"].includes(s.type)) bad.push("x1");
      if (s.type === "integer") bad.push("2.5");
      if (s.type === "choice" || s.type === "shape") bad.push("no-such-value");
      for (const text of bad) {
        assert.throws(
          () => parseOptions(keys, { [attributeOf(s.flag)]: text }),
          (e: unknown) =>
            e instanceof InputError &&
            e.where.option === s.flag &&
            e.message.startsWith(`option '${s.flag}': `) &&
            !e.message.includes("\n"),
          `${s.flag} ${text}`,
        );
        refused++;
      }
    }
    assert.ok(refused > 60, `${refused} refusals`);
  });

  it("refuses a family's option with another family, and merges --cv into --folds", () => {
    for (const [key, s] of specs) {
      if (!("families" in s) || !s.families) continue;
      const other = ["gaussian", "cox"].find((f) => !s.families!.includes(f))!;
      const value = s.type === "switch" ? true : s.type === "choice" ? s.choices![0] : "1";
      assert.throws(
        () => parseOptions([key, "family"], { [attributeOf(s.flag)]: value, family: other }),
        (e: unknown) =>
          e instanceof InputError &&
          new RegExp(`^option '${s.flag}': only for --family .*\\(not ${other}\\)$`).test(
            e.message,
          ),
      );
    }
    assert.equal(parseOptions(["folds", "cv"], { cv: "5" }).folds, 5);
    assert.equal(parseOptions(["folds", "cv"], { cv: "5", folds: "5" }).folds, 5);
    assert.throws(
      () => parseOptions(["folds", "cv"], { cv: "5", folds: "4" }),
      /options '--folds' and '--cv' are one option/,
    );
  });

  it("says a library error in the command's flags (the schema's `sets`)", () => {
    const e = inFlags(
      new InputError("option 'nLambda': 'lambdaMinRatio' needs more", { option: "nLambda" }),
      ["nlambda", "lambdaMinRatio"],
    );
    assert.equal(e.message, "option '--nlambda': '--lambda-min-ratio' needs more");
    assert.equal(e.where.option, "--nlambda");
  });

  it("spawned: a bad value exits 2 with one line naming the flag, before any work", () => {
    for (const [args, re] of [
      [
        ["path", DIABETES, "--alpha", "2"],
        /^regularize: option '--alpha': 2 is outside its range \(in \[0, 1\]\)\n$/,
      ],
      [
        ["fit", DIABETES, "--penalty", "scad", "--alpha", "0.5"],
        /^regularize: option '--alpha': scad takes no α \(its shape is --gamma\)\n$/,
      ],
      [
        ["cv", DIABETES, "--folds", "2"],
        /^regularize: option '--folds': expected an integer ≥ 3, got '2'\n$/,
      ],
      [
        ["fit", DIABETES, "--select", "max"],
        /^regularize: option '--select': unknown value 'max' \(one of: min, 1se\)\n$/,
      ],
      [
        ["fit", DIABETES, "--ties", "efron"],
        /^regularize: option '--ties': only for --family cox \(not gaussian\)\n$/,
      ],
      [["explain", DIABETES], /^regularize: option '--lambda' is required: the λ to explain\n$/],
      [
        ["explain", DIABETES, "--lambda", "1", "--family", "multinomial"],
        /^regularize: option '--family': unknown value 'multinomial' \(one of: gaussian, binomial, poisson\)\n$/,
      ],
      [
        ["train", DIABETES, "--hidden", "8,0"],
        /^regularize: option '--hidden': 0 is outside its range/,
      ],
      [
        ["predict", "m.json", DIABETES, "--times", "1,Inf"],
        /^regularize: option '--times': 'Inf' is not a number/,
      ],
    ] as [string[], RegExp][]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, re);
      assert.equal(r.out, "");
    }
  });

  it("--version is package.json's", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(run("--version").out.trim(), pkg.version);
  });
});
