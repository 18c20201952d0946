import { expect, it } from "@effect/vitest"
import { extract } from "../../src/Extract/index.js"
import { adversarialCases } from "../../scripts/bench/adversarial.js"

// A generous bound: linear extraction takes well under a second per case; the quadratic blow-ups
// this guards against (nesting, runs of `@` or digits) take tens of seconds on 1 MB.
const BOUND_MS = 2000

it("extracts from each 1 MB adversarial input within a generous time bound", () => {
  const slow = adversarialCases().flatMap(({ name, html }) => {
    const start = performance.now()
    extract(html, { defaultRegion: "US" })
    const elapsed = performance.now() - start
    return elapsed > BOUND_MS ? [`${name}: ${Math.round(elapsed)} ms`] : []
  })
  expect(slow).toEqual([])
})
