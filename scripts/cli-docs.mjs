// Writes the README's option tables from the command-line schema (src/cli/schema.ts): one table
// per command between <!-- options:begin --> and <!-- options:end -->. With --check, exits
// non-zero (and says which command differs) instead of writing when the README is out of date.
// Run after npm run build: node scripts/cli-docs.mjs [--check]
import { readFileSync, writeFileSync } from "node:fs";
import * as prettier from "prettier";
import { COMMANDS } from "../dist/cli/schema.js";
import { optionTable } from "../dist/cli/parse.js";

const README = new URL("../README.md", import.meta.url).pathname;
const BEGIN = "<!-- options:begin (written by scripts/cli-docs.mjs from src/cli/schema.ts) -->";
const END = "<!-- options:end -->";

export function optionSection() {
  return COMMANDS.map(
    (c) =>
      `<details><summary><code>regularize ${c.name}</code>: ${c.description}</summary>\n\n${optionTable(c)}\n\n</details>`,
  ).join("\n\n");
}

const text = readFileSync(README, "utf8");
const a = text.indexOf(BEGIN);
const b = text.indexOf(END);
if (a < 0 || b < a) {
  console.error(`README.md: no ${BEGIN} … ${END} block`);
  process.exit(1);
}
// Formatted as `npm run format` would, so that format:check and this check agree.
const next = await prettier.format(
  `${text.slice(0, a + BEGIN.length)}\n\n${optionSection()}\n\n${text.slice(b)}`,
  { ...(await prettier.resolveConfig(README)), filepath: README },
);
if (process.argv.includes("--check")) {
  if (next !== text) {
    console.error(
      "README.md: the option tables differ from the schema; run node scripts/cli-docs.mjs",
    );
    process.exit(1);
  }
  console.log(`README.md: ${COMMANDS.length} option tables match the schema`);
} else {
  writeFileSync(README, next);
  console.log(`README.md: wrote ${COMMANDS.length} option tables`);
}
