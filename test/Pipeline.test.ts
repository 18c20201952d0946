import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer } from "effect"
import { Curation } from "../src/Pages/Curation.js"
import { Sandbox } from "../src/Sandbox/index.js"
import { runCli } from "./support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "./support/TestDatabase.js"

/**
 * The whole pipeline as an operator runs it: `wf7 drain` as a real process, over real HTTP to the
 * ScraperAPI simulator, into real Postgres.
 */

const KEY = "sk-sandbox-7e1d4b9f02"
const LIMIT = 5

const world = Layer.mergeAll(
  Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)),
  Sandbox.layer({
    apiKey: KEY,
    sites: 12,
    seed: 7,
    concurrencyLimit: 50,
    latency: { _tag: "Fixed", ms: 20 },
  }),
)

const drain = (env: Record<string, string>) =>
  Effect.gen(function* () {
    const database = yield* TestDatabase
    const sandbox = yield* Sandbox
    return yield* Effect.promise(() =>
      runCli(["drain"], {
        env: {
          DATABASE_URL: database.url,
          SCRAPER_API_KEY: KEY,
          SCRAPER_API_BASE_URL: sandbox.baseUrl,
          WF7_POLL_INTERVAL_SECONDS: "0.1",
          WF7_LOG_LEVEL: "debug",
          ...env,
        },
      }),
    )
  })

/** Every stored contact as `page url → sorted values`, for comparing with the sample sites. */
const stored = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ domain: string; value: string }>`
    SELECT d.domain, coalesce(c.email, c.phone) AS value FROM contacts c JOIN domains d ON d.id = c.domain_id
    UNION ALL
    SELECT d.domain, s.platform || ':' || s.handle FROM social_profiles s JOIN domains d ON d.id = s.domain_id`
  const byDomain = new Map<string, Array<string>>()
  for (const row of rows) byDomain.set(row.domain, [...(byDomain.get(row.domain) ?? []), row.value])
  return new Map([...byDomain].map(([domain, values]) => [domain, values.sort()]))
})

const expected = Effect.gen(function* () {
  const { corpus } = yield* Sandbox
  const byDomain = new Map<string, Set<string>>()
  for (const page of corpus.pages) {
    const values = byDomain.get(page.site.domain) ?? new Set<string>()
    for (const email of page.expected.emails) values.add(email)
    for (const phone of page.expected.phones) values.add(phone)
    for (const social of page.expected.socials) values.add(`${social.platform}:${social.handle}`)
    byDomain.set(page.site.domain, values)
  }
  return new Map([...byDomain].map(([domain, values]) => [domain, [...values].sort()]))
})

/** All of the database as text: nothing in it may contain the key. */
const everything = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ dump: string }>`
    SELECT (SELECT json_agg(p)::text FROM pages p) || (SELECT coalesce(json_agg(c)::text, '') FROM contacts c)
      || (SELECT coalesce(json_agg(s)::text, '') FROM social_profiles s) AS dump`
  return rows[0]?.dump ?? ""
})

it.layer(world, { timeout: 120_000 })("pipeline over the ScraperAPI simulator", (it) => {
  it.effect("sequential drain stores exactly the sample sites' contacts, one fetch at a time", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const curation = yield* Curation
      const half = sandbox.corpus.urls.filter((_, i) => i % 2 === 0)
      yield* curation.importUrls(half, { select: true })
      const result = yield* drain({})
      expect(result.code).toBe(0)
      const summary = JSON.parse(result.stdout.trim().split("\n").at(-1)!)
      expect(summary).toMatchObject({ pages: half.length, complete: half.length, error: 0 })
      expect(result.stderr).toContain("WF7 Sequential: Processed")
      expect((yield* sandbox.stats).maxInFlight).toBe(1)
      expect(result.stdout + result.stderr).not.toContain(KEY)
    }),
  )

  it.effect(
    "concurrent drain keeps at most SCRAPER_API_MAX_CONCURRENT in flight; contacts match, no duplicates",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const curation = yield* Curation
        yield* sandbox.resetStats
        yield* curation.importUrls(sandbox.corpus.urls, { select: false })
        yield* curation.setStatusWhere({ page_curation_status: "New" }, "Selected")
        // Held until all the slots are taken: the limit is reached, whatever the machine's speed.
        yield* sandbox.hold
        const running = yield* Effect.fork(
          drain({ WF7_ENABLE_CONCURRENT_PROCESSING: "true", SCRAPER_API_MAX_CONCURRENT: String(LIMIT) }),
        )
        yield* sandbox.awaitInFlight(LIMIT)
        yield* sandbox.release
        const result = yield* Fiber.join(running)
        expect(result.code).toBe(0)
        expect(result.stderr).toContain("WF7 Concurrent: Processed")
        const stats = yield* sandbox.stats
        expect(stats.maxInFlight).toBe(LIMIT)
        expect([...stats.perTarget.values()].every((count) => count === 1)).toBe(true)
        expect(yield* stored).toEqual(yield* expected)
        expect(result.stdout + result.stderr).not.toContain(KEY)
        expect(yield* everything).not.toContain(KEY)
      }),
  )

  it.effect("each processed page stores the name of the business it belongs to", () =>
    Effect.gen(function* () {
      const { corpus } = yield* Sandbox
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ url: string; business_name: string | null }>`
        SELECT url, business_name FROM pages WHERE page_processing_status = 'Complete' ORDER BY url`
      expect(rows).toHaveLength(corpus.urls.length)
      expect(rows).toEqual(
        rows.map((row) => ({ url: row.url, business_name: corpus.page(row.url)?.site.name })),
      )
    }),
  )
})
