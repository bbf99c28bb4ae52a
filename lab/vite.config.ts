import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The lab imports only the library's public entry, "regularize": here its browser entry's
// TypeScript source (src/browser.ts, what the package's "browser" condition gives a bundler).
// Relative base, so that the built site (lab/dist) works from any static file server or folder.
export default defineConfig({
  root: __dirname,
  resolve: { alias: { regularize: fileURLToPath(new URL("../src/browser.ts", import.meta.url)) } },
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  worker: { format: "es" },
  server: { fs: { allow: [".."] } },
});
