import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { type CurationStatus, PageId, type ProcessingStatus } from "../../src/Domain/Page.js"
import { Curation } from "../../src/Pages/Curation.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

interface PageState {
  readonly curation: CurationStatus
  readonly processing: ProcessingStatus | null
  readonly error: string | null
  readonly attempts: number
}

const states: ReadonlyArray<PageState> = [
  { curation: "New", processing: null, error: null, attempts: 0 },
  { curation: "Selected", processing: "Queued", error: null, attempts: 1 },
  { curation: "Selected", processing: "Processing", error: null, attempts: 1 },
  { curation: "Selected", processing: "Complete", error: null, attempts: 1 },
  { curation: "Selected", processing: "Error", error: "PageGone: 404", attempts: 3 },
  { curation: "Rejected", processing: null, error: null, attempts: 0 },
  { curation: "Skipped", processing: "Filtered", error: null, attempts: 0 },
  { curation: "Archived", processing: "Complete", error: null, attempts: 1 },
]
const targets: ReadonlyArray<CurationStatus> = ["New", "Selected", "Rejected", "Skipped", "Archived"]

// SPEC §3: Selected queues afresh; Rejected/Skipped/Archived dequeue a still-queued page; nothing else moves.
const expected = (from: PageState, to: CurationStatus): PageState => {
  if (to === "Selected") return { curation: to, processing: "Queued", error: null, attempts: 0 }
  if (to !== "New" && from.processing === "Queued") return { ...from, curation: to, processing: null }
  return { ...from, curation: to }
}

const cases = states.flatMap((from) => targets.map((to) => ({ from, to, want: expected(from, to) })))

let counter = 0
const insertPage = (state: PageState) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const url = `https://transition.example/${counter++}`
    yield* sql`INSERT INTO domains (domain) VALUES ('transition.example') ON CONFLICT DO NOTHING`
    const [row] = yield* sql<{ id: string }>`
      INSERT INTO pages (domain_id, url, page_curation_status, page_processing_status,
                         page_processing_error, processing_attempts)
      SELECT id, ${url}, ${state.curation}::page_curation_status,
             ${state.processing}::page_processing_status, ${state.error}, ${state.attempts}
      FROM domains WHERE domain = 'transition.example'
      RETURNING id`
    return PageId.make(row!.id)
  })

const readPage = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<PageState & { selected: boolean }>`
      SELECT page_curation_status AS curation, page_processing_status AS processing,
             page_processing_error AS error, processing_attempts AS attempts,
             selected_at IS NOT NULL AS selected
      FROM pages WHERE id = ${id}`
    return row!
  })

it.layer(Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)))("Curation", (it) => {
  it.effect.each(cases)("$from.curation/$from.processing → $to", ({ from, to, want }) =>
    Effect.gen(function* () {
      const curation = yield* Curation
      const id = yield* insertPage(from)
      const change = yield* curation.setStatus([id], to)
      const { selected, ...state } = yield* readPage(id)
      expect(state).toEqual(want)
      expect(change).toEqual({ updated: 1, queued: want.processing === "Queued" ? 1 : 0 })
      if (to === "Selected") expect(selected).toBe(true)
    }),
  )

  it.effect("imports URLs: normalised, domains derived, duplicates and bad lines reported", () =>
    Effect.gen(function* () {
      const curation = yield* Curation
      const sql = yield* SqlClient.SqlClient
      const result = yield* curation.importUrls(
        [
          "https://Import.Example.com/Contact",
          "HTTPS://import.example.COM/Contact#team",
          "http://www.import.example.com/about",
          "mailto:someone@import.example.com",
          "not a url",
          "https://other-import.example.org",
        ],
        { select: false },
      )
      expect(result.created).toBe(3)
      expect(result.existing).toBe(1)
      expect(result.queued).toBe(0)
      expect(result.invalid).toEqual([
        { index: 3, url: "mailto:someone@import.example.com", reason: "scheme mailto is not http or https" },
        { index: 4, url: "not a url", reason: "not a URL" },
      ])
      const pages = yield* sql<{ url: string; domain: string; status: string; processing: string | null }>`
        SELECT p.url, d.domain, p.page_curation_status AS status, p.page_processing_status AS processing
        FROM pages p JOIN domains d ON d.id = p.domain_id
        WHERE d.domain IN ('import.example.com', 'other-import.example.org') ORDER BY p.url`
      expect(pages).toEqual([
        {
          url: "http://www.import.example.com/about",
          domain: "import.example.com",
          status: "New",
          processing: null,
        },
        {
          url: "https://import.example.com/Contact",
          domain: "import.example.com",
          status: "New",
          processing: null,
        },
        {
          url: "https://other-import.example.org/",
          domain: "other-import.example.org",
          status: "New",
          processing: null,
        },
      ])
      const again = yield* curation.importUrls(["https://import.example.com/Contact"], { select: true })
      expect(again).toEqual({ created: 0, existing: 1, invalid: [], queued: 1 })
    }),
  )

  it.effect("selects every page matching a filter in one call", () =>
    Effect.gen(function* () {
      const curation = yield* Curation
      const sql = yield* SqlClient.SqlClient
      const urls = Array.from({ length: 3000 }, (_, i) =>
        i % 3 === 0 ? `https://bulk.example.com/Contact_${i}` : `https://bulk.example.com/about-${i}`,
      )
      const imported = yield* curation.importUrls(urls, { select: false })
      expect(imported.created).toBe(3000)

      // `_` is a literal character, not a LIKE wildcard; case does not matter.
      const literal = yield* curation.setStatusWhere({ url_contains: "CONTACT_" }, "Selected")
      expect(literal).toEqual({ updated: 1000, queued: 1000 })

      const rest = yield* curation.setStatusWhere(
        { page_curation_status: "New", url_contains: "bulk.example.com/about" },
        "Selected",
      )
      expect(rest).toEqual({ updated: 2000, queued: 2000 })

      const rejected = yield* curation.setStatusWhere(
        { page_processing_status: "Queued", url_contains: "about-1" },
        "Rejected",
      )
      const [counts] = yield* sql<{ queued: number; rejected: number }>`
        SELECT (count(*) FILTER (WHERE page_processing_status = 'Queued'))::int AS queued,
               (count(*) FILTER (WHERE page_curation_status = 'Rejected'))::int AS rejected
        FROM pages WHERE url LIKE 'https://bulk.example.com/%'`
      expect(rejected.queued).toBe(0)
      expect(counts).toEqual({ queued: 3000 - rejected.updated, rejected: rejected.updated })
      expect(rejected.updated).toBe(urls.filter((url) => url.includes("about-1")).length)
      expect(yield* curation.countWhere({ url_contains: "%" })).toBe(0)
    }),
  )
})
