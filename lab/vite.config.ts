import { defineConfig } from "vite";

// The lab imports the library's TypeScript source directly; relative base so that the built
// site (lab/dist) works from any static file server or folder.
export default defineConfig({
  root: __dirname,
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  worker: { format: "es" },
  server: { fs: { allow: [".."] } },
});
