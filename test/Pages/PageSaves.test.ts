import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { Extraction } from "../../src/Domain/Contact.js"
import { Curation } from "../../src/Pages/Curation.js"
import { PageSaves } from "../../src/Pages/PageSaves.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** Grouped saves: one statement for many pages, each page still fenced on its own lease. */

const layer = Layer.mergeAll(PageSaves.Default, PagesRepo.Default, Curation.Default).pipe(
  Layer.provideMerge(TestDatabaseLive),
)

const spend = { credits: 1, fetchedWith: "plain", reason: "static" }

const found = (slug: string): Extraction => ({
  emails: [{ value: `${slug}@shop.example.com`, type: "CORPORATE", source: "text" }],
  phones: [],
  socials: [],
})

describe("PageSaves", () => {
  it.layer(layer)((it) => {
    it.effect("a page whose lease was taken mid-group is LeaseLost and untouched; the others commit", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const urls = ["a", "b", "c", "d"].map((slug) => `https://shop.example.com/${slug}`)
        yield* (yield* Curation).importUrls(urls, { select: true })
        const claimed = yield* (yield* PagesRepo).claim("worker", 4, 60)
        const [a, b, c, d] = urls.map((url) => claimed.find((page) => page.url === url)!)
        // Rescued and claimed by another worker while this one was fetching.
        yield* sql`UPDATE pages SET lease_owner = 'thief' WHERE id = ${b!.id}`
        const outcomes = yield* (yield* PageSaves).save([
          { page: a!, spend, result: { _tag: "Complete", extraction: found("a"), dropped: 0 } },
          { page: b!, spend, result: { _tag: "Complete", extraction: found("b"), dropped: 0 } },
          { page: c!, spend, result: { _tag: "Complete", extraction: found("c"), dropped: 0 } },
          { page: d!, spend, result: { _tag: "Error", error: "PageGone: 404" } },
        ])
        expect(outcomes).toEqual([
          { _tag: "Complete", saved: { emails: 1, phones: 0, socials: 0 } },
          { _tag: "LeaseLost" },
          { _tag: "Complete", saved: { emails: 1, phones: 0, socials: 0 } },
          { _tag: "Error" },
        ])
        const rows = yield* sql<{ url: string; status: string; owner: string | null; contacts: number }>`
          SELECT url, page_processing_status AS status, lease_owner AS owner,
                 (SELECT count(*)::int FROM contacts c WHERE c.page_id = p.id) AS contacts
          FROM pages p ORDER BY url`
        expect(rows).toEqual([
          { url: urls[0], status: "Complete", owner: null, contacts: 1 },
          { url: urls[1], status: "Processing", owner: "thief", contacts: 0 },
          { url: urls[2], status: "Complete", owner: null, contacts: 1 },
          { url: urls[3], status: "Error", owner: null, contacts: 0 },
        ])
      }),
    )
  })
})
