// Preloaded with `node --import` by bench/io.mjs: writes the process's peak RSS (bytes) to the
// file named by REGULARIZE_RSS_FILE when it exits.
import { writeFileSync } from "node:fs";
process.on("exit", () => {
  if (process.env.REGULARIZE_RSS_FILE)
    writeFileSync(process.env.REGULARIZE_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
