import { Effect } from "effect"
import { benchCost, printCost } from "./bench/cost.js"
import { benchExtraction, printExtraction } from "./bench/extraction.js"
import { benchPipeline, printPipeline } from "./bench/pipeline.js"
import { benchSave, printSave } from "./bench/save.js"
import { benchStartup, printStartup } from "./bench/startup.js"

/**
 * `npm run bench [SECTION…]`: runs the named sections (all when none is named), printing each
 * section's figures and, last, one JSON line with all results.
 */

interface Section {
  readonly print: () => void
  readonly result: unknown
}

const sections: Record<string, () => Promise<Section>> = {
  extraction: async () => {
    const result = benchExtraction()
    return { print: () => printExtraction(result), result }
  },
  pipeline: async () => {
    const result = await Effect.runPromise(benchPipeline)
    return { print: () => printPipeline(result), result }
  },
  save: async () => {
    const result = await Effect.runPromise(benchSave)
    return { print: () => printSave(result), result }
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

const requested = process.argv.slice(2)
const unknown = requested.filter((name) => !(name in sections))
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(", ")}; known: ${Object.keys(sections).join(", ")}`)
  process.exit(2)
}
const results: Record<string, unknown> = {}
for (const name of requested.length > 0 ? requested : Object.keys(sections)) {
  const section = await sections[name]!()
  section.print()
  results[name] = section.result
}
console.log(JSON.stringify(results))
