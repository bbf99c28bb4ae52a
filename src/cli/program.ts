/**
 * Commander, built from the schema: each command's arguments, options (help text with choices,
 * range and default), examples, and an action that parses the options by the schema before the
 * command runs.
 */
import { Command, Option } from "commander";
import { commandOption, describe } from "./parse.js";
import { COMMANDS, type CommandName, type CommandSpec } from "./schema.js";
import { VERSION } from "./version.js";

/** A command's work: its arguments and the raw option values (commander's, parsed by the action). */
export type Action = (args: string[], options: Record<string, unknown>) => Promise<void>;

function addCommand(prog: Command, c: CommandSpec, action: Action): void {
  const cmd = prog.command(c.name).description(c.description);
  for (const a of c.args) cmd.argument(`<${a.name}>`, a.help);
  for (const key of c.options) {
    const s = commandOption(c, key);
    const placeholder = s.value ? ` <${s.value}>` : "";
    const o = new Option(`${s.flag}${placeholder}`, describe(s, c.help?.[key]));
    cmd.addOption(s.hidden ? o.hideHelp() : o);
  }
  if (c.examples.length)
    cmd.addHelpText("after", `\nExamples:\n${c.examples.map((e) => `  ${e}\n`).join("")}`);
  cmd.action((...args: unknown[]) => {
    return action(
      args.slice(0, c.args.length) as string[],
      args[c.args.length] as Record<string, unknown>,
    );
  });
}

/** The `regularize` program: every command of the schema, run by `actions`. */
export function buildProgram(actions: Record<CommandName, Action>): Command {
  const prog = new Command("regularize")
    .description(
      "Regularized learning: lasso / elastic-net / ridge paths with exact zeros and certificates.",
    )
    .version(VERSION, "--version", "the version (from package.json)")
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .showSuggestionAfterError(false);
  for (const c of COMMANDS) addCommand(prog, c, actions[c.name]);
  return prog;
}
