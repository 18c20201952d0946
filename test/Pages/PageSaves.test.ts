import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer } from "effect"
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

    it.effect(
      "writes a group's contacts in key order: a writer holding one of them is waited for, not deadlocked",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const urls = ["https://order.example.com/x", "https://order.example.com/y"]
          yield* (yield* Curation).importUrls(urls, { select: true })
          const claimed = yield* (yield* PagesRepo).claim("worker", 2, 60)
          const mail = (value: string): Extraction => ({
            emails: [{ value, type: "CORPORATE", source: "text" }],
            phones: [],
            socials: [],
          })
          // In the group's own order z@ comes first: written in that order, it would be taken before a@.
          const saves = claimed.map((page) => ({
            page,
            spend,
            result: {
              _tag: "Complete" as const,
              extraction: mail(page.url.endsWith("x") ? "z@order.example.com" : "a@order.example.com"),
              dropped: 0,
            },
          }))
          const insert = (email: string) => sql`
            INSERT INTO contacts (page_id, domain_id, email, source)
            SELECT id, domain_id, ${email}, 'text' FROM pages WHERE url = ${urls[0]}`
          const holding = yield* Deferred.make<void>()
          const goOn = yield* Deferred.make<void>()
          // Another writer of the same domain, in a transaction: a@ first, then z@.
          const other = yield* sql
            .withTransaction(
              Effect.gen(function* () {
                yield* insert("a@order.example.com")
                yield* Deferred.succeed(holding, undefined)
                yield* Deferred.await(goOn)
                yield* insert("z@order.example.com")
              }),
            )
            .pipe(Effect.exit, Effect.fork)
          yield* Deferred.await(holding)
          const group = yield* Effect.fork((yield* PageSaves).save(saves))
          // The group waits on the other writer's a@ (polled on the server: it is its lock).
          yield* sql<{ waiting: number }>`
            SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND datname = current_database()`.pipe(
            Effect.repeat({ until: ([row]) => (row?.waiting ?? 0) > 0 }),
          )
          yield* Deferred.succeed(goOn, undefined)
          expect(yield* Fiber.join(other)).toEqual(Exit.void)
          const none = { _tag: "Complete", saved: { emails: 0, phones: 0, socials: 0 } }
          expect(yield* Fiber.join(group)).toEqual([none, none])
        }),
    )
  })
})
