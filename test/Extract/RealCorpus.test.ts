import { describe, expect, it } from "@effect/vitest"
import { groups, loadRealCorpus, realCorpusDirs, scoreRealCorpus } from "../../scripts/bench/realCorpus.js"

// Pages taken from public repositories and labelled by hand (test/fixtures/real): the extractor's
// rules were not written against them.
const MIN_PAGES = 150
const pages = loadRealCorpus()
const score = scoreRealCorpus(pages)

describe("extraction over the real-page corpus", () => {
  it(`has at least ${MIN_PAGES} labelled pages`, () => {
    expect(pages.length, `pages in ${realCorpusDirs().join(", ")}`).toBeGreaterThanOrEqual(MIN_PAGES)
  })

  it("finds phones with recall ≥ 0.97 and precision ≥ 0.98 overall", () => {
    const { precision, recall, errors } = score.all.phones
    expect(recall, errors.join("\n")).toBeGreaterThanOrEqual(0.97)
    expect(precision, errors.join("\n")).toBeGreaterThanOrEqual(0.98)
  })

  for (const group of groups) {
    it(`finds phones with recall ≥ 0.95 and precision ≥ 0.97 in group ${group}`, () => {
      const { pages, precision, recall, errors } = score[group].phones
      expect(pages, `pages of group ${group}`).toBeGreaterThan(0)
      expect(recall, errors.join("\n")).toBeGreaterThanOrEqual(0.95)
      expect(precision, errors.join("\n")).toBeGreaterThanOrEqual(0.97)
    })
  }

  it("finds emails with recall ≥ 0.99 and precision ≥ 0.99", () => {
    const { precision, recall, errors } = score.all.emails
    expect(recall, errors.join("\n")).toBeGreaterThanOrEqual(0.99)
    expect(precision, errors.join("\n")).toBeGreaterThanOrEqual(0.99)
  })
})
