import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { runOnTestDatabase } from "../support/Cli.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** `wf7 pages` as a real process over three pages: one complete, one failed, one new. */

const base = "https://pages-cli.example"

const knownState = Effect.gen(function* () {
  yield* (yield* Curation).importUrls([`${base}/complete`, `${base}/error`, `${base}/new`], { select: false })
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE pages SET page_curation_status = 'Selected', page_processing_status = 'Complete',
    processing_attempts = 1, contact_count = 3, processed_at = '2024-06-01T12:34:00Z',
    business_name = 'Acme Ltd' WHERE url = ${`${base}/complete`}`
  yield* sql`UPDATE pages SET page_curation_status = 'Selected', page_processing_status = 'Error',
    processing_attempts = 3, page_processing_error = 'PageGone: 404 Not Found'
    WHERE url = ${`${base}/error`}`
})

const world = Layer.effectDiscard(knownState).pipe(
  Layer.provideMerge(Curation.Default),
  Layer.provideMerge(TestDatabaseLive),
)

const pages = (...args: Array<string>) => runOnTestDatabase(["pages", ...args])

it.layer(world, { timeout: 120_000 })("wf7 pages", (it) => {
  it.effect("a table of every page with its status, attempts, contacts and time", () =>
    Effect.gen(function* () {
      const result = yield* pages()
      expect(result.code).toBe(0)
      expect(result.stdout.split("\n").filter((line) => line !== "")).toEqual([
        "  url                                 curation  processing  attempts  contacts  processed",
        "  https://pages-cli.example/complete  Selected  Complete           1  3         2024-06-01 12:34Z",
        "  https://pages-cli.example/error     Selected  Error              3",
        "  https://pages-cli.example/new       New                          0",
        "3 pages",
      ])
    }),
  )

  it.effect("--errors shows failed pages with their error; --status and --url-contains filter", () =>
    Effect.gen(function* () {
      const errors = yield* pages("--errors")
      expect(errors.stdout).toContain("error\n")
      expect(errors.stdout).toMatch(/^ {2}https:\/\/pages-cli\.example\/error .* PageGone: 404 Not Found$/m)
      expect(errors.stdout).not.toContain("/complete")
      expect(errors.stdout.trim().split("\n").at(-1)).toBe("1 pages")

      const complete = yield* pages("--status", "Complete")
      expect(complete.stdout).toContain("/complete")
      expect(complete.stdout).not.toContain("/error")
      const fresh = yield* pages("--status", "New")
      expect(fresh.stdout).toContain("/new")
      expect(fresh.stdout).not.toContain("/complete")
      const matching = yield* pages("--url-contains", "ERR")
      expect(matching.stdout).toContain("/error")
      expect(matching.stdout.trim().split("\n").at(-1)).toBe("1 pages")

      expect((yield* pages("--status", "Done")).code).not.toBe(0)
    }),
  )

  it.effect("--json prints the API's items and total; --limit cuts the table and says so", () =>
    Effect.gen(function* () {
      const json = yield* pages("--json", "--status", "Complete")
      expect(json.code).toBe(0)
      expect(JSON.parse(json.stdout)).toMatchObject({
        total: 1,
        items: [{ url: `${base}/complete`, business_name: "Acme Ltd", contact_count: 3 }],
      })
      const limited = yield* pages("--limit", "1")
      expect(limited.stdout).toContain("/complete")
      expect(limited.stdout).not.toContain("/new")
      expect(limited.stdout.trim().split("\n").at(-1)).toBe("1 of 3 pages shown; --limit shows up to 1000")
      expect((yield* pages("--limit", "0")).code).not.toBe(0)
    }),
  )
})
