import { NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { benchCost, printCost } from "./bench/cost.js"
import { benchExtraction, printExtraction } from "./bench/extraction.js"
import { benchLoad, printLoad } from "./bench/load.js"
import { benchPipeline, printPipeline } from "./bench/pipeline.js"
import { benchSave, printSave } from "./bench/save.js"
import { benchScale, printScale } from "./bench/scale.js"
import { benchStartup, printStartup } from "./bench/startup.js"

/**
 * `npm run bench [SECTION…] [--json FILE]`: runs the named sections (the load matrix and start-up
 * when none is named), printing each section's figures and, last, one JSON line with all results,
 * which `--json` also writes to FILE for comparison between commits.
 */

interface Section {
  readonly print: () => void
  readonly result: unknown
}

const section = <A, E>(run: Effect.Effect<A, E>, print: (result: A) => void): Effect.Effect<Section, E> =>
  Effect.map(run, (result) => ({ print: () => print(result), result }))

const sections: Record<string, Effect.Effect<Section, unknown>> = {
  load: section(benchLoad, printLoad),
  scale: section(benchScale, printScale),
  extraction: section(Effect.sync(benchExtraction), printExtraction),
  pipeline: section(benchPipeline, printPipeline),
  save: section(benchSave, printSave),
  startup: section(Effect.sync(benchStartup), printStartup),
  cost: section(benchCost, printCost),
}
const byDefault = ["load", "startup"]

const args = process.argv.slice(2)
const jsonAt = args.indexOf("--json")
const jsonFile = jsonAt === -1 ? undefined : args[jsonAt + 1]
const requested = jsonAt === -1 ? args : args.filter((_, index) => index !== jsonAt && index !== jsonAt + 1)
const unknown = requested.filter((name) => !Object.hasOwn(sections, name))
if ((jsonAt !== -1 && jsonFile === undefined) || unknown.length > 0) {
  console.error(
    `usage: npm run bench [SECTION…] [--json FILE]; sections: ${Object.keys(sections).join(", ")}${unknown.length > 0 ? `; unknown: ${unknown.join(", ")}` : ""}`,
  )
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
