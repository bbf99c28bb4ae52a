/**
 * Turns the command line's texts into typed option values by the schema (src/cli/schema.ts):
 * numbers, ranges, choices, sizes and the families an option applies to, checked before any
 * work, each error one line naming the flag. Also the schema's words for the help and the README.
 */
import { InputError } from "../errors.js";
import { OPTIONS, type CommandSpec, type OptionKey, type OptionSpec } from "./schema.js";

type Spec<K extends OptionKey> = (typeof OPTIONS)[K];
type Base<S> = S extends { type: "number" | "integer" | "size" }
  ? number
  : S extends { type: "numbers" | "integers" }
    ? number[]
    : S extends { type: "switch" | "negation" }
      ? boolean
      : S extends { type: "shape" }
        ? [number, number]
        : S extends { type: "choice"; choices: readonly (infer C)[] }
          ? C
          : string;
type Value<S> = S extends { type: "switch" | "negation" }
  ? boolean
  : S extends { default: unknown }
    ? Base<S>
    : S extends { required: true }
      ? Base<S>
      : Base<S> | undefined;

/** The typed values of a command's options (`Parsed<typeof FIT_OPTIONS>`). */
export type Parsed<Keys extends readonly OptionKey[]> = {
  -readonly [K in Keys[number]]: Value<Spec<K>>;
};

const spec = (key: OptionKey): OptionSpec => OPTIONS[key];

/** An option as a command takes it: the schema's, with the command's narrower choices. */
export function commandOption(c: Pick<CommandSpec, "narrow">, key: OptionKey): OptionSpec {
  const choices = c.narrow?.[key];
  return choices ? { ...OPTIONS[key], choices } : OPTIONS[key];
}

/** The property commander gives an option: `--lambda-min-ratio` → lambdaMinRatio, `--no-x` → x. */
export function attributeOf(flag: string): string {
  return flag.replace(/^--(no-)?/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const NUM = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function bad(s: OptionSpec, message: string): InputError {
  return new InputError(`option '${s.flag}': ${message}`, { option: s.flag });
}

function toNumber(s: OptionSpec, text: string): number {
  const t = text.trim();
  if (!NUM.test(t) || !Number.isFinite(Number(t)))
    throw bad(s, `'${text}' is not a ${NUM.test(t) ? "finite " : ""}number`);
  return Number(t);
}

/** The range of a number as words: "in [0, 1]", "≥ 3", "> 0 and < 1". */
export function rangeText(s: OptionSpec): string {
  const lo = s.above !== undefined ? `> ${s.above}` : s.min !== undefined ? `≥ ${s.min}` : "";
  const hi = s.below !== undefined ? `< ${s.below}` : s.max !== undefined ? `≤ ${s.max}` : "";
  if (s.min !== undefined && s.max !== undefined) return `in [${s.min}, ${s.max}]`;
  return [lo, hi].filter((t) => t !== "").join(" and ");
}

function inRange(s: OptionSpec, v: number): boolean {
  return (
    !Number.isNaN(v) &&
    (s.min === undefined || v >= s.min) &&
    (s.max === undefined || v <= s.max) &&
    (s.above === undefined || v > s.above) &&
    (s.below === undefined || v < s.below)
  );
}

function checkNumber(s: OptionSpec, text: string, integer: boolean): number {
  const v = toNumber(s, text);
  if (integer) {
    if (!Number.isInteger(v) || (s.min !== undefined && v < s.min))
      throw bad(s, `expected an integer ${s.min !== undefined ? `≥ ${s.min}` : ""}, got '${text}'`);
    if (s.max !== undefined && v > s.max) throw bad(s, `${text} is too large (at most ${s.max})`);
    return v;
  }
  if (!inRange(s, v)) throw bad(s, `${v} is outside its range (${rangeText(s)})`);
  return v;
}

function parseSize(s: OptionSpec, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!m) throw bad(s, `expected a size such as 8G or 500M, got '${text}'`);
  const scale = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[
    m[2].toLowerCase() as "" | "k" | "m" | "g" | "t"
  ];
  const v = Number(m[1]) * scale;
  if (!(v >= 1)) throw bad(s, "must be at least 1 byte");
  return v;
}

/** One option's text as its value. */
export function convert(s: OptionSpec, text: string): unknown {
  switch (s.type) {
    case "number":
      return checkNumber(s, text, false);
    case "integer":
      return checkNumber(s, text, true);
    case "numbers":
    case "integers": {
      const parts = text.split(",");
      if (parts.some((t) => t.trim() === ""))
        throw bad(s, `expected comma-separated numbers, got '${text}'`);
      if (s.maxCount !== undefined && parts.length > s.maxCount)
        throw bad(s, `at most ${s.maxCount} values, got ${parts.length}`);
      const integer = s.type === "integers";
      return parts.map((t) => {
        const v = toNumber(s, t);
        if ((integer && !Number.isInteger(v)) || !inRange(s, v))
          throw bad(
            s,
            `${t.trim()} is outside its range (${integer ? "integers " : ""}${rangeText(s)})`,
          );
        return v;
      });
    }
    case "choice":
      if (!s.choices!.includes(text))
        throw bad(s, `unknown value '${text}' (one of: ${s.choices!.join(", ")})`);
      return text;
    case "size":
      return parseSize(s, text);
    case "shape": {
      const m = /^(\d+)[x×](\d+)$/.exec(text.trim());
      if (!m || +m[1] < 1 || +m[2] < 1) throw bad(s, `expected HxW such as 8x8, got '${text}'`);
      return [+m[1], +m[2]];
    }
    default:
      return text;
  }
}

/**
 * A command's options from commander's raw values (texts, and booleans for switches): each
 * converted and range-checked, defaults filled in, a family-specific option refused with any
 * other family, an old alias merged into its option, a required one insisted on.
 */
export function parseOptions<const Keys extends readonly OptionKey[]>(
  keys: Keys,
  raw: Record<string, unknown>,
  command: Pick<CommandSpec, "narrow"> = {},
): Parsed<Keys> {
  const out: Record<string, unknown> = {};
  const given = new Set<OptionKey>();
  for (const key of keys) {
    const s = commandOption(command, key);
    const v = raw[attributeOf(s.flag)];
    if (s.type === "switch") {
      out[key] = v === true;
      if (v === true) given.add(key);
    } else if (s.type === "negation") {
      out[key] = v !== false;
      if (v === false) given.add(key);
    } else if (typeof v === "string") {
      out[key] = convert(s, v);
      given.add(key);
    } else if (s.default !== undefined) {
      out[key] = convert(s, String(s.default));
    } else if (s.required) {
      throw new InputError(`option '${s.flag}' is required: ${s.help}`, { option: s.flag });
    }
  }
  for (const key of given) {
    const s = spec(key);
    if (s.aliasOf) {
      const main = spec(s.aliasOf as OptionKey);
      if (given.has(s.aliasOf as OptionKey) && out[s.aliasOf] !== out[key])
        throw new InputError(
          `options '${main.flag}' and '${s.flag}' are one option (${main.help}): give one`,
          { option: main.flag },
        );
      out[s.aliasOf] = out[key];
    }
    const family = out.family as string | undefined;
    if (s.families && family !== undefined && !s.families.includes(family))
      throw bad(s, `only for --family ${orList(s.families)} (not ${family})`);
  }
  return out as Parsed<Keys>;
}

function orList(xs: readonly string[]): string {
  return xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}

/** The flag that sets a library option (`nLambda` → `--nlambda`), among a command's options. */
function flagOf(libraryOption: string, keys: readonly OptionKey[]): string | undefined {
  for (const key of keys) {
    const s = spec(key);
    if (s.sets === libraryOption && !s.aliasOf) return s.flag;
  }
  return undefined;
}

/**
 * A library input error said in the command's words: each quoted library option name the
 * schema maps to a flag of these options becomes that flag (and `where.option` with it).
 */
export function inFlags(e: InputError, keys: readonly OptionKey[]): InputError {
  let message = e.message;
  for (const key of keys) {
    const s = spec(key);
    if (s.sets && !s.aliasOf) {
      message = message.split(`'${s.sets}'`).join(`'${s.flag}'`);
      message = message.split(`option ${s.sets} `).join(`option ${s.flag} `);
    }
  }
  const option = e.where.option && flagOf(e.where.option, keys);
  return new InputError(message, option ? { ...e.where, option } : e.where);
}

/** The default of an option, as the help says it. */
export function defaultText(s: OptionSpec): string | undefined {
  if (s.type === "negation" || s.type === "switch") return undefined;
  return s.default !== undefined ? String(s.default) : s.defaultText;
}

/** The value an option takes, as words: "number in [0, 1]", "one of: a, b". */
export function valueText(s: OptionSpec): string {
  switch (s.type) {
    case "number":
    case "integer": {
      const r = rangeText(s);
      return r ? `${s.type} ${r}` : s.type;
    }
    case "numbers":
    case "integers": {
      const r = rangeText(s);
      return `${s.type === "numbers" ? "numbers" : "integers"}, comma-separated${r ? `, each ${r}` : ""}`;
    }
    case "choice":
      return s.choices!.join(" \\| ");
    case "size":
      return "size (8G, 500M, bytes)";
    case "shape":
      return "HxW";
    case "switch":
    case "negation":
      return "—";
    default:
      return s.value ?? "text";
  }
}

/** "cox: " before the help of an option for some families only. */
const familyPrefix = (s: OptionSpec) => (s.families ? `${s.families.join(" / ")}: ` : "");

/** An option's help line: families, help, then choices or range, and default. */
export function describe(s: OptionSpec, help = s.help): string {
  const d = defaultText(s);
  const notes = [
    s.type === "choice" ? `one of: ${s.choices!.join(", ")}` : "",
    s.type === "number" || s.type === "integer" ? rangeText(s) : "",
    d !== undefined ? `default ${d}` : "",
  ].filter((t) => t !== "");
  return `${familyPrefix(s)}${help}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

/** The Markdown table of a command's options (the README's, written by scripts/cli-docs.mjs). */
export function optionTable(c: CommandSpec): string {
  const rows = c.options
    .filter((key) => !spec(key).hidden)
    .map((key) => {
      const s = commandOption(c, key);
      const help = (c.help?.[key] ?? s.help).replace(/\|/g, "\\|");
      return `| \`${s.flag}\` | ${valueText(s)} | ${defaultText(s) ?? ""} | ${s.sets ? `\`${s.sets}\`` : ""} | ${familyPrefix(s)}${help} |`;
    });
  return [
    "| option | value | default | library option | meaning |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}
