import { build } from "esbuild"
import { copyFileSync, mkdirSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

/**
 * Run by `npm run build`: bundles the console (console/) into dist/console/, served by the daemon at
 * `/`, and prints its gzipped size; a bundle over the budget fails the build.
 */

const BUDGET_BYTES = 150 * 1024
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const source = path.join(root, "console")
const out = path.join(root, "dist/console")

mkdirSync(out, { recursive: true })
await build({
  entryPoints: { app: path.join(source, "src/main.tsx") },
  outdir: out,
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  tsconfig: path.join(source, "tsconfig.json"),
  logLevel: "warning",
})
for (const file of ["index.html", "favicon.svg"]) copyFileSync(path.join(source, file), path.join(out, file))

const sizes = ["index.html", "app.js", "app.css"].map((name) => ({
  name,
  gzipped: gzipSync(readFileSync(path.join(out, name))).length,
}))
const total = sizes.reduce((sum, file) => sum + file.gzipped, 0)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
console.log(
  `console: ${sizes.map((file) => `${file.name} ${kb(file.gzipped)}`).join(", ")}; ${kb(total)} gzipped`,
)
if (total > BUDGET_BYTES) {
  console.error(`console: the bundle is over its budget of ${kb(BUDGET_BYTES)} gzipped`)
  process.exit(1)
}
