import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { benchCost, printCost } from "./bench/cost.js"
import { benchExtraction, printExtraction } from "./bench/extraction.js"
import { benchLoad, printLoad } from "./bench/load.js"
import { benchPipeline, printPipeline } from "./bench/pipeline.js"
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

const sections: Record<string, () => Promise<Section>> = {
  load: async () => {
    const result = await Effect.runPromise(benchLoad)
    return { print: () => printLoad(result), result }
  },
  scale: async () => {
    const result = await Effect.runPromise(benchScale)
    return { print: () => printScale(result), result }
  },
  extraction: async () => {
    const result = benchExtraction()
    return { print: () => printExtraction(result), result }
  },
  pipeline: async () => {
    const result = await Effect.runPromise(benchPipeline)
    return { print: () => printPipeline(result), result }
  },
  startup: async () => {
    const result = benchStartup()
    return { print: () => printStartup(result), result }
  },
  cost: async () => {
    const result = await Effect.runPromise(benchCost)
    return { print: () => printCost(result), result }
  },
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
const results: Record<string, unknown> = {}
for (const name of requested.length > 0 ? requested : byDefault) {
  const section = await sections[name]?.()
  if (section === undefined) continue
  section.print()
  results[name] = section.result
}
console.log(JSON.stringify(results))
if (jsonFile !== undefined) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
