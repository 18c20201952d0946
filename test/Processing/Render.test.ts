import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Schedule } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Engine } from "../../src/Processing/Engine.js"
import { EngineLive } from "../../src/Processing/Worker.js"
import { Sandbox, type SamplePage } from "../../src/Sandbox/index.js"
import { sandboxEngine } from "../support/SandboxEngine.js"
import { configFrom } from "../support/TestConfig.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * WF7_RENDER=auto over the simulator (real HTTP, real Postgres): a script-built page is fetched
 * plain, then rendered; a static one only plain; a domain that needed rendering is rendered first
 * by the next engine; every page's credits are exactly what the simulator charged, and a 429 or a
 * 500 costs nothing.
 */

const KEY = "render-test-key-7d1c0a9b"

const simulator = Sandbox.layer({ apiKey: KEY, sites: 20, seed: 11, jsShare: 0.2, retryAfterSeconds: 0 })

const world = sandboxEngine(KEY).pipe(Layer.provideMerge(simulator))

const queue = (pages: ReadonlyArray<SamplePage>) =>
  Effect.flatMap(Curation, (curation) =>
    curation.importUrls(
      pages.map((page) => page.url),
      { select: true },
    ),
  )

const row = (url: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [found] = yield* sql<{
      status: string
      fetched_with: string | null
      render_reason: string | null
      credits_spent: number
      contact_count: number | null
    }>`SELECT page_processing_status AS status, fetched_with, render_reason, credits_spent, contact_count
       FROM pages WHERE url = ${url}`
    return found
  })

const totalCredits = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.map(
    sql<{ pages: number; days: number }>`
      SELECT (SELECT coalesce(sum(credits_spent), 0)::int FROM pages) AS pages,
             (SELECT coalesce(sum(credits), 0)::int FROM credits_daily) AS days`,
    ([sums]) => sums,
  ),
)

const drain = Effect.flatMap(Engine, (engine) => engine.run(true))

layer(TestDatabaseLive, { excludeTestServices: true })(
  "render escalation and credits over the simulator",
  (it) => {
    it.effect(
      "renders an app-shell page after its plain fetch, not a static page; credits match the charges",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const scripted = sandbox.corpus.pages.find((page) => page.site.scripted && page.kind === "contact")!
          const plain = sandbox.corpus.pages.find((page) => !page.site.scripted && page.kind === "contact")!
          yield* queue([scripted, plain])
          yield* drain
          expect(yield* row(scripted.url)).toEqual({
            status: "Complete",
            fetched_with: "escalated",
            render_reason: "app-shell",
            credits_spent: 11,
            contact_count: scripted.expected.emails.length + scripted.expected.phones.length,
          })
          expect(yield* row(plain.url)).toMatchObject({
            status: "Complete",
            fetched_with: "plain",
            render_reason: "static",
            credits_spent: 1,
          })
          const stats = yield* sandbox.stats
          expect([stats.perTarget.get(scripted.url), stats.perTarget.get(plain.url)]).toEqual([2, 1])
          expect(yield* totalCredits).toEqual({ pages: stats.creditsUsed, days: stats.creditsUsed })
          expect(stats.creditsUsed).toBe(12)
        }).pipe(Effect.provide(world)),
    )

    it.effect("remembers the domain: a new engine over the same database renders its next page first", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const about = sandbox.corpus.pages.find((page) => page.site.scripted && page.kind === "about")
        const contact = sandbox.corpus.pages.find(
          (page) => page.site === about?.site && page.kind === "contact",
        )
        if (about === undefined || contact === undefined) return expect.fail("no scripted site in the corpus")
        yield* queue([contact])
        yield* drain
        const sql = yield* SqlClient.SqlClient
        expect(yield* sql`SELECT render_first FROM domains WHERE domain = ${about.site.domain}`).toEqual([
          { render_first: true },
        ])
        yield* queue([about])
        // A restart: every service built again from the configuration, over the same database.
        const restarted = yield* Layer.build(
          EngineLive.pipe(
            Layer.provideMerge(configFrom({ SCRAPER_API_KEY: KEY, SCRAPER_API_BASE_URL: sandbox.baseUrl })),
          ),
        )
        yield* Effect.provide(drain, restarted)
        expect(yield* row(about.url)).toMatchObject({
          status: "Complete",
          fetched_with: "rendered",
          render_reason: "domain-renders",
          credits_spent: 10,
        })
        expect((yield* sandbox.stats).perTarget.get(about.url)).toBe(1)
      }).pipe(Effect.scoped, Effect.provide(world)),
    )

    it.effect("a page answered 500 costs nothing, and a 429 before its 200 adds nothing to it", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const [failing, limited] = sandbox.corpus.pages.filter((page) => !page.site.scripted).slice(2, 4)
        if (failing === undefined || limited === undefined) return expect.fail("too few static pages")
        const before = (yield* sandbox.stats).creditsUsed
        yield* sandbox.update({ errorRate: 1 })
        yield* queue([failing])
        yield* drain
        expect(yield* row(failing.url)).toMatchObject({ status: "Error", credits_spent: 0 })
        expect((yield* sandbox.stats).creditsUsed).toBe(before)
        // One slot, held by a request from outside: the page is answered 429 until it is let go.
        yield* sandbox.update({ errorRate: 0, concurrencyLimit: 1 })
        yield* sandbox.hold
        const outside = yield* Effect.fork(
          Effect.promise(() =>
            fetch(`${sandbox.baseUrl}?api_key=${KEY}&url=${encodeURIComponent(failing.url)}`).then((r) =>
              r.text(),
            ),
          ),
        )
        yield* sandbox.awaitInFlight(1)
        yield* queue([limited])
        const draining = yield* Effect.fork(drain)
        yield* Effect.flatMap(sandbox.stats, (stats) =>
          (stats.perOutcome["429"] ?? 0) > 0 ? Effect.void : Effect.fail("no 429 yet"),
        ).pipe(Effect.retry(Schedule.spaced("10 millis")))
        yield* sandbox.release
        yield* outside.await
        yield* draining.await
        expect(yield* row(limited.url)).toMatchObject({ status: "Complete", credits_spent: 1 })
        const stats = yield* sandbox.stats
        expect(stats.creditsUsed).toBe(before + 2)
        expect(yield* totalCredits).toEqual({ pages: stats.creditsUsed - 1, days: stats.creditsUsed - 1 })
      }).pipe(Effect.provide(world)),
    )
  },
)
