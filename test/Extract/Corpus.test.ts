import { describe, expect, it } from "@effect/vitest"
import { loadCorpus, scoreCorpus } from "../../scripts/bench/corpus.js"

const pages = loadCorpus()
const score = scoreCorpus(pages)

describe("extraction over the labelled corpus", () => {
  it("has at least 60 labelled pages", () => {
    expect(pages.length).toBeGreaterThanOrEqual(60)
  })

  for (const field of ["emails", "phones", "socials"] as const) {
    it(`finds ${field} with recall ≥ 0.97 and precision ≥ 0.98`, () => {
      const { precision, recall, errors } = score[field]
      expect(recall, errors.join("\n")).toBeGreaterThanOrEqual(0.97)
      expect(precision, errors.join("\n")).toBeGreaterThanOrEqual(0.98)
    })
  }

  it("types and sources at least 95 % of the contacts it finds as labelled", () => {
    for (const field of ["emails", "phones"] as const) {
      const { truePositives, attributeMismatches, errors } = score[field]
      expect(attributeMismatches / truePositives, errors.join("\n")).toBeLessThanOrEqual(0.05)
    }
  })
})
