import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Extraction } from "../../src/Domain/Contact.js"
import { extract } from "../../src/Extract/index.js"

/**
 * The labelled fixture corpus (test/fixtures/pages: `name.html` + `name.expected.json`) and its
 * scoring, shared by the corpus test and `npm run bench`.
 */

export interface CorpusPage {
  readonly name: string
  readonly html: string
  readonly expected: Extraction
}

/** The repository root, from this file in `scripts/bench/` or its compiled copy in `dist/scripts/bench/`. */
export const repoRoot = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir)
  return path.basename(dir) === "dist" ? path.dirname(dir) : dir
}

export const corpusDir = () => path.join(repoRoot(), "test", "fixtures", "pages")

export const loadCorpus = (dir = corpusDir()): Array<CorpusPage> =>
  fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".html"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".html".length)
      return {
        name,
        html: fs.readFileSync(path.join(dir, file), "utf8"),
        expected: JSON.parse(fs.readFileSync(path.join(dir, `${name}.expected.json`), "utf8")) as Extraction,
      }
    })

// The contact lists; the business name is not labelled in the corpus.
type Field = "emails" | "phones" | "socials"

export interface FieldScore {
  readonly truePositives: number
  readonly falsePositives: number
  readonly falseNegatives: number
  readonly precision: number
  readonly recall: number
  /** Found contacts whose type or source differs from the label. */
  readonly attributeMismatches: number
  /** One line per wrong or missed contact: `page: kind value`. */
  readonly errors: Array<string>
}

export type CorpusScore = Record<Field, FieldScore>

const keyOf = (item: Extraction[Field][number]): string =>
  "value" in item ? item.value : `${item.platform} ${item.url} ${item.handle}`

const attributes = (item: Extraction[Field][number]): string =>
  "value" in item ? `${item.type}/${item.source}` : ""

/** Precision and recall per field over the corpus, comparing contacts by value (profiles by URL). */
export const scoreCorpus = (pages: ReadonlyArray<CorpusPage>): CorpusScore => {
  const score = (field: Field): FieldScore => {
    let truePositives = 0
    let attributeMismatches = 0
    const errors: Array<string> = []
    let falsePositives = 0
    let falseNegatives = 0
    for (const page of pages) {
      const found = extract(page.html, { defaultRegion: "US" })[field]
      const expected = new Map(page.expected[field].map((item) => [keyOf(item), item]))
      const foundKeys = new Set<string>()
      for (const item of found) {
        const key = keyOf(item)
        foundKeys.add(key)
        const label = expected.get(key)
        if (label === undefined) {
          falsePositives++
          errors.push(`${page.name}: unexpected ${key}`)
        } else {
          truePositives++
          if (attributes(label) !== attributes(item)) {
            attributeMismatches++
            errors.push(`${page.name}: ${key} is ${attributes(item)}, labelled ${attributes(label)}`)
          }
        }
      }
      for (const key of expected.keys()) {
        if (!foundKeys.has(key)) {
          falseNegatives++
          errors.push(`${page.name}: missed ${key}`)
        }
      }
    }
    return {
      truePositives,
      falsePositives,
      falseNegatives,
      precision: truePositives / Math.max(1, truePositives + falsePositives),
      recall: truePositives / Math.max(1, truePositives + falseNegatives),
      attributeMismatches,
      errors,
    }
  }
  return { emails: score("emails"), phones: score("phones"), socials: score("socials") }
}
