import { NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { benchCost, printCost } from "./bench/cost.js"
import { benchExtraction, printExtraction } from "./bench/extraction.js"
import { benchLoad, printLoad } from "./bench/load.js"
import { benchPipeline, printPipeline } from "./bench/pipeline.js"
import { benchSave, printSave } from "./bench/save.js"
import { benchScale, printScale } from "./bench/scale.js"
import { benchStartup, printStartup } from "./bench/startup.js"

/**
 * `npm run bench [SECTION…] [--json FILE] [--only ROWS] [--cpu-prof DIR]`: runs the named sections
 * (the load matrix and start-up when none is named), printing each section's figures and, last, one
 * JSON line with all results, which `--json` also writes to FILE for comparison between commits.
 */

interface Section {
  readonly print: () => void
  readonly result: unknown
}

const section = <A, E>(run: Effect.Effect<A, E>, print: (result: A) => void): Effect.Effect<Section, E> =>
  Effect.map(run, (result) => ({ print: () => print(result), result }))

const usage =
  "usage: npm run bench [SECTION…] [--json FILE] [--only C-LATENCY,…] [--cpu-prof DIR]; --only picks rows of the load matrix (1000-fixed, 100-heavy-tailed …), --cpu-prof writes each drain's CPU profile (node --cpu-prof) to DIR"

const parsed = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { json: { type: "string" }, only: { type: "string" }, "cpu-prof": { type: "string" } },
    })
  } catch (error) {
    console.error(`${String(error)}\n${usage}`)
    process.exit(2)
  }
})()
const { json: jsonFile, only, "cpu-prof": cpuProfileDir } = parsed.values

const sections: Record<string, Effect.Effect<Section, unknown>> = {
  load: section(benchLoad({ only: only?.split(",") ?? [], cpuProfileDir }), printLoad),
  scale: section(benchScale, printScale),
  extraction: section(Effect.sync(benchExtraction), printExtraction),
  pipeline: section(benchPipeline, printPipeline),
  save: section(benchSave, printSave),
  startup: section(Effect.sync(benchStartup), printStartup),
  cost: section(benchCost, printCost),
}
const byDefault = ["load", "startup"]

const requested = parsed.positionals
const unknown = requested.filter((name) => !Object.hasOwn(sections, name))
if (unknown.length > 0) {
  console.error(`${usage}\nsections: ${Object.keys(sections).join(", ")}; unknown: ${unknown.join(", ")}`)
  process.exit(2)
}
// One program under runMain: Ctrl-C interrupts it, and the drains, simulators and Postgres it started stop.
Effect.gen(function* () {
  const results: Record<string, unknown> = {}
  for (const name of requested.length > 0 ? requested : byDefault) {
    const ran = yield* sections[name] ?? Effect.void
    if (ran === undefined) continue
    ran.print()
    results[name] = ran.result
  }
  console.log(JSON.stringify(results))
  if (jsonFile !== undefined) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
}).pipe(NodeRuntime.runMain)
