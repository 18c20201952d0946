import { extract } from "../../src/Extract/index.js"
import { adversarialCases } from "./adversarial.js"
import { loadCorpus, scoreCorpus } from "./corpus.js"
import { groups, loadRealCorpus, realCorpusDirs, scoreRealCorpus, type RealScore } from "./realCorpus.js"

/**
 * Extraction section of `npm run bench`: throughput over the fixture corpus and the real-page corpus,
 * the time of a typical 150 KB page, the slowest adversarial 1 MB input, and precision/recall of
 * each corpus, the real one per country group.
 */

interface Quality {
  readonly precision: number
  readonly recall: number
}

export interface ExtractionBench {
  readonly corpusPages: number
  readonly corpusMegabytes: number
  readonly megabytesPerSecond: number
  readonly pagesPerSecond: number
  readonly typicalPageKilobytes: number
  readonly typicalPageMilliseconds: number
  readonly worstAdversarial: { readonly name: string; readonly milliseconds: number }
  readonly quality: Record<"emails" | "phones" | "socials", Quality>
  readonly real: {
    readonly dirs: ReadonlyArray<string>
    readonly pages: number
    readonly megabytes: number
    readonly megabytesPerSecond: number
    /** Per group ("all" first): pages, and email and phone precision/recall. */
    readonly groups: Record<
      string,
      { readonly pages: number; readonly emails: Quality; readonly phones: Quality }
    >
  }
}

const MIN_SECONDS = 2

const run = (html: string) => extract(html, { defaultRegion: "US" })

const milliseconds = (work: () => void) => {
  const start = performance.now()
  work()
  return performance.now() - start
}

export const median = (values: ReadonlyArray<number>) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

/** Whole passes over the corpus until at least MIN_SECONDS have passed. */
const throughput = (pages: ReadonlyArray<{ readonly html: string }>) => {
  const bytes = pages.reduce((sum, page) => sum + Buffer.byteLength(page.html), 0)
  let passes = 0
  let elapsed = 0
  while (elapsed < MIN_SECONDS * 1000) {
    elapsed += milliseconds(() => pages.forEach((page) => run(page.html)))
    passes++
  }
  const seconds = elapsed / 1000
  return {
    bytes,
    megabytesPerSecond: (bytes * passes) / 1e6 / seconds,
    pagesPerSecond: (pages.length * passes) / seconds,
  }
}

/** A 150 KB page of the corpus's average make-up (its pages joined), timed many times. */
const typicalPage = (pages: ReadonlyArray<{ readonly html: string }>) => {
  const html = pages
    .map((page) => page.html)
    .join("\n")
    .slice(0, 150_000)
  const times = Array.from({ length: 100 }, () => milliseconds(() => run(html)))
  return { kilobytes: Buffer.byteLength(html) / 1000, milliseconds: median(times) }
}

const worstAdversarial = () =>
  adversarialCases()
    .map(({ name, html }) => ({
      name,
      milliseconds: Math.min(
        milliseconds(() => run(html)),
        milliseconds(() => run(html)),
      ),
    }))
    .reduce((worst, next) => (next.milliseconds > worst.milliseconds ? next : worst))

const realQuality = (score: RealScore) =>
  Object.fromEntries(
    (["all", ...groups] as const).map((group) => {
      const { emails, phones } = score[group]
      const quality = ({ precision, recall }: Quality) => ({ precision, recall })
      return [group, { pages: phones.pages, emails: quality(emails), phones: quality(phones) }]
    }),
  )

export const benchExtraction = (): ExtractionBench => {
  const pages = loadCorpus()
  // Warm-up so the JIT has compiled the scanners before anything is timed.
  pages.forEach((page) => run(page.html))
  const speed = throughput(pages)
  const typical = typicalPage(pages)
  const worst = worstAdversarial()
  const score = scoreCorpus(pages)
  const real = loadRealCorpus()
  const realSpeed = throughput(real)
  const quality = (field: keyof typeof score) => ({
    precision: score[field].precision,
    recall: score[field].recall,
  })
  return {
    corpusPages: pages.length,
    corpusMegabytes: speed.bytes / 1e6,
    megabytesPerSecond: speed.megabytesPerSecond,
    pagesPerSecond: speed.pagesPerSecond,
    typicalPageKilobytes: typical.kilobytes,
    typicalPageMilliseconds: typical.milliseconds,
    worstAdversarial: worst,
    quality: { emails: quality("emails"), phones: quality("phones"), socials: quality("socials") },
    real: {
      dirs: realCorpusDirs(),
      pages: real.length,
      megabytes: realSpeed.bytes / 1e6,
      megabytesPerSecond: realSpeed.megabytesPerSecond,
      groups: realQuality(scoreRealCorpus(real)),
    },
  }
}

export const printExtraction = (result: ExtractionBench) => {
  const f = (value: number, digits = 1) => value.toFixed(digits)
  console.log("== extraction ==")
  console.log(
    `corpus: ${result.corpusPages} pages, ${f(result.corpusMegabytes, 2)} MB: ${f(result.megabytesPerSecond)} MB/s, ${f(result.pagesPerSecond, 0)} pages/s`,
  )
  console.log(
    `typical page (${f(result.typicalPageKilobytes, 0)} KB): ${f(result.typicalPageMilliseconds, 2)} ms`,
  )
  console.log(
    `worst adversarial 1 MB input: ${result.worstAdversarial.name}, ${f(result.worstAdversarial.milliseconds, 0)} ms`,
  )
  console.log("fixture corpus (test/fixtures/pages):")
  for (const [field, { precision, recall }] of Object.entries(result.quality)) {
    console.log(`  ${field}: precision ${f(precision, 3)}, recall ${f(recall, 3)}`)
  }
  const { real } = result
  console.log(
    `real corpus (${real.dirs.join(", ")}): ${real.pages} pages, ${f(real.megabytes, 2)} MB: ${f(real.megabytesPerSecond)} MB/s`,
  )
  console.log("  group   pages  email P  email R  phone P  phone R")
  for (const [group, { pages, emails, phones }] of Object.entries(real.groups)) {
    const cells = [emails.precision, emails.recall, phones.precision, phones.recall].map((value) =>
      f(value, 3).padStart(7),
    )
    console.log(`  ${group.padEnd(6)} ${String(pages).padStart(6)}  ${cells.join("  ")}`)
  }
}
