import * as fs from "node:fs"
import * as path from "node:path"
import { Schema } from "effect"
import { extract } from "../../src/Extract/index.js"
import { repoRoot } from "./corpus.js"

/**
 * The real-page corpus (test/fixtures/real: `name.html` + `name.label.json`, pages taken from public
 * repositories and labelled by hand) and its scoring by value, overall and per country group.
 * `WF7_REAL_CORPUS` (directories separated by `:`) reads other folders instead.
 */

export const Group = Schema.Literal("us", "uk", "au", "in", "other")
export type Group = typeof Group.Type
export const groups: ReadonlyArray<Group> = Group.literals

const Label = Schema.Struct({
  url: Schema.NullOr(Schema.String),
  group: Group,
  emails: Schema.Array(Schema.String),
  phones: Schema.Array(Schema.String),
})
const decodeLabel = Schema.decodeUnknownSync(Schema.parseJson(Label))

export interface RealPage {
  readonly name: string
  readonly html: string
  readonly label: typeof Label.Type
}

export const realCorpusDirs = (): Array<string> =>
  process.env.WF7_REAL_CORPUS?.split(":").filter((dir) => dir !== "") ?? [
    path.join(repoRoot(), "test", "fixtures", "real"),
  ]

/** Every labelled page of the folders; a name found twice is read from the first folder. */
export const loadRealCorpus = (dirs = realCorpusDirs()): Array<RealPage> => {
  const pages = new Map<string, RealPage>()
  for (const dir of dirs) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir) : []
    for (const file of files.filter((file) => file.endsWith(".label.json")).sort()) {
      const name = file.slice(0, -".label.json".length)
      if (pages.has(name)) continue
      const label = decodeLabel(fs.readFileSync(path.join(dir, file), "utf8"))
      pages.set(name, { name, label, html: fs.readFileSync(path.join(dir, `${name}.html`), "utf8") })
    }
  }
  return [...pages.values()]
}

export interface ValueScore {
  readonly pages: number
  readonly truePositives: number
  readonly falsePositives: number
  readonly falseNegatives: number
  readonly precision: number
  readonly recall: number
  /** One line per wrong or missed contact: `page: unexpected|missed value`. */
  readonly errors: Array<string>
}

export type RealScore = Record<"all" | Group, Record<"emails" | "phones", ValueScore>>

const emptyScore = (): ValueScore => ({
  pages: 0,
  truePositives: 0,
  falsePositives: 0,
  falseNegatives: 0,
  precision: 1,
  recall: 1,
  errors: [],
})

const add = (
  score: ValueScore,
  name: string,
  found: ReadonlyArray<string>,
  labelled: ReadonlyArray<string>,
) => {
  const expected = new Set(labelled)
  const seen = new Set(found)
  const falsePositives = found.filter((value) => !expected.has(value))
  const falseNegatives = labelled.filter((value) => !seen.has(value))
  const truePositives = score.truePositives + found.length - falsePositives.length
  const fp = score.falsePositives + falsePositives.length
  const fn = score.falseNegatives + falseNegatives.length
  return {
    pages: score.pages + 1,
    truePositives,
    falsePositives: fp,
    falseNegatives: fn,
    precision: truePositives + fp === 0 ? 1 : truePositives / (truePositives + fp),
    recall: truePositives + fn === 0 ? 1 : truePositives / (truePositives + fn),
    errors: [
      ...score.errors,
      ...falsePositives.map((value) => `${name}: unexpected ${value}`),
      ...falseNegatives.map((value) => `${name}: missed ${value}`),
    ],
  }
}

/** Each page extracted as the pipeline does (its recorded URL, the default region US), scored by value. */
export const scoreRealCorpus = (pages: ReadonlyArray<RealPage>): RealScore => {
  const fresh = () => ({ emails: emptyScore(), phones: emptyScore() })
  const score: RealScore = {
    all: fresh(),
    us: fresh(),
    uk: fresh(),
    au: fresh(),
    in: fresh(),
    other: fresh(),
  }
  for (const { name, html, label } of pages) {
    const found = extract(html, { url: label.url ?? undefined, defaultRegion: "US" })
    for (const group of ["all", label.group] as const) {
      score[group] = {
        emails: add(
          score[group].emails,
          name,
          [...new Set(found.emails.map((email) => email.value))],
          label.emails,
        ),
        phones: add(
          score[group].phones,
          name,
          [...new Set(found.phones.map((phone) => phone.value))],
          label.phones,
        ),
      }
    }
  }
  return score
}
