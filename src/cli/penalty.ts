/**
 * The penalty of `regularize fit`, `path` and `cv`: `--penalty`, `--alpha`, `--gamma` and
 * `--groups`, resolved and checked once, the same way in every command.
 *
 * Without `--penalty` the penalty follows `--alpha`, as glmnet's `alpha` does: none or 1 is the
 * lasso, 0 ridge, anything between the elastic net. With `--penalty`, an `--alpha` that
 * contradicts it is refused (the lasso has α = 1, ridge α = 0, MCP and SCAD take γ instead).
 */
import { InputError } from "../errors.js";
import type { FitOptions } from "../path/fit.js";
import { readOptionFile } from "./input.js";
import type { Parsed } from "./parse.js";
import type { PENALTY_OPTIONS } from "./schema.js";

export type CliPenalty = NonNullable<Parsed<typeof PENALTY_OPTIONS>["penalty"]>;

export interface PenaltyChoice {
  penalty: CliPenalty;
  /** The elastic-net mixing; for the group penalty, the L1 share within groups. */
  alpha: number;
  gamma: number | undefined;
  /** The `--groups` file and its text, read once before any work (group penalty only). */
  groups: { file: string; text: string } | undefined;
  /** Group, MCP and SCAD: fitted by the model core, not the lasso / elastic-net paths. */
  core: boolean;
}

/** Resolves and checks `--penalty`, `--alpha`, `--gamma` and `--groups` (before any work). */
export function penaltyChoice(o: Parsed<typeof PENALTY_OPTIONS>): PenaltyChoice {
  const penalty: CliPenalty =
    o.penalty ??
    (o.alpha === undefined || o.alpha === 1 ? "lasso" : o.alpha === 0 ? "ridge" : "elastic-net");
  const alpha =
    o.alpha !== undefined
      ? o.alpha
      : penalty === "ridge" || penalty === "group"
        ? 0
        : penalty === "elastic-net"
          ? 0.5
          : 1;
  const refuse = (option: string, message: string) => {
    throw new InputError(`option '${option}': ${message}`, { option });
  };
  if (penalty === "lasso" && alpha !== 1)
    refuse("--alpha", "the lasso has α = 1 (use --penalty elastic-net, or leave --penalty out)");
  if (penalty === "ridge" && alpha !== 0)
    refuse("--alpha", "ridge has α = 0 (use --penalty elastic-net, or leave --penalty out)");
  // (MCP and SCAD take γ, not α.)
  if ((penalty === "mcp" || penalty === "scad") && alpha !== 1)
    refuse("--alpha", `${penalty} takes no α (its shape is --gamma)`);
  if (penalty === "group" && !o.groups)
    throw new InputError("option '--groups' is required with --penalty group", {
      option: "--groups",
    });
  if (o.gamma !== undefined && penalty !== "mcp" && penalty !== "scad")
    refuse("--gamma", "needs --penalty mcp or scad");
  if (o.gamma !== undefined && penalty === "scad" && !(o.gamma > 2))
    refuse("--gamma", `scad needs γ > 2, got ${o.gamma}`);
  if (o.groups && penalty !== "group") refuse("--groups", "needs --penalty group");
  return {
    penalty,
    alpha,
    gamma: o.gamma,
    groups: o.groups ? { file: o.groups, text: readOptionFile("--groups", o.groups) } : undefined,
    core: penalty === "group" || penalty === "mcp" || penalty === "scad",
  };
}

/** The library options of a penalty choice (`groups` from `groupIds`). */
export function penaltyLibraryOptions(
  c: PenaltyChoice,
  groups: number[] | undefined,
): Pick<FitOptions, "penalty" | "groups" | "gamma" | "alpha"> {
  return {
    ...(c.core ? { penalty: c.penalty as "group" | "mcp" | "scad", groups, gamma: c.gamma } : {}),
    alpha: c.penalty === "mcp" || c.penalty === "scad" ? undefined : c.alpha,
  };
}

/**
 * Group ids per feature from the `--groups` file (none without one): "feature,group" lines, or
 * one id per line in feature order.
 */
export function groupIds(c: PenaltyChoice, features: string[]): number[] | undefined {
  if (!c.groups) return undefined;
  const { file, text } = c.groups;
  // (line numbers as in the file: blank lines kept in the count)
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ l: l.trim(), line: i + 1 }))
    .filter(({ l }) => l !== "");
  if (lines.length && lines[0].l.includes(",")) {
    const header = !/^\d+$/.test(lines[0].l.split(",")[1]?.trim() ?? "");
    const ids = new Map<string, number>();
    const names = new Map<string, number>();
    for (const { l, line } of header ? lines.slice(1) : lines) {
      const [f, g] = l.split(",").map((s) => s.trim());
      if (!features.includes(f))
        throw new InputError(`${file}: line ${line}: '${f}' is not a feature of the data`, {
          file,
          row: line,
        });
      if (!names.has(g)) names.set(g, names.size + 1);
      ids.set(f, names.get(g)!);
    }
    const miss = features.find((f) => !ids.has(f));
    if (miss)
      throw new InputError(`${file}: feature '${miss}' has no group`, { file, column: miss });
    return features.map((f) => ids.get(f)!);
  }
  if (lines.length !== features.length)
    throw new InputError(
      `${file}: has ${lines.length} group ids but the data have ${features.length} features`,
      { file },
    );
  return lines.map(({ l, line }) => {
    if (!/^\d+$/.test(l))
      throw new InputError(`${file}: line ${line}: expected a group id (an integer), got '${l}'`, {
        file,
        row: line,
      });
    return Number(l);
  });
}
