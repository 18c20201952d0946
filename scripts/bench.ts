import { benchExtraction, printExtraction } from "./bench/extraction.js"

/**
 * `npm run bench [SECTION…]`: runs the named sections (all when none is named), printing each
 * section's figures and, last, one JSON line with all results.
 */

const sections: Record<string, () => { readonly print: () => void; readonly result: unknown }> = {
  extraction: () => {
    const result = benchExtraction()
    return { print: () => printExtraction(result), result }
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
  const section = sections[name]?.()
  section?.print()
  results[name] = section?.result
}
console.log(JSON.stringify(results))
