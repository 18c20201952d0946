import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, TestClock } from "effect"
import { LocalResourceExhausted, RateLimited } from "../../src/Fetch/Errors.js"
import { Curation } from "../../src/Pages/Curation.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { ProcessPage } from "../../src/Processing/ProcessPage.js"
import { Slots } from "../../src/Processing/Slots.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { configFrom } from "../support/TestConfig.js"
import { asleepFor, eventually } from "../support/Eventually.js"
import { FreshTables, TestDatabaseLive } from "../support/TestDatabase.js"
import { contactPage, ScriptedFetches, scriptedFetcher, type Script } from "../support/ScriptedFetcher.js"

/**
 * What one page does with a site's 429 (direct mode) and with a local resource error, on real
 * Postgres, in TestClock time.
 */

const OWNER = "test-owner"

const world = (script: Script) => {
  const fetcher = scriptedFetcher(script)
  return Layer.merge(engineWith(fetcher), fetcher).pipe(
    Layer.provideMerge(Curation.Default),
    Layer.provideMerge(configFrom({ WF7_RETRY_BASE_SECONDS: "1", SCRAPER_API_MAX_CONCURRENT: "8" })),
    Layer.provide(FreshTables),
  )
}

/** Queues the URLs and claims them, in order. */
const claimed = (urls: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    yield* (yield* Curation).importUrls(urls, { select: true })
    const pages = yield* (yield* PagesRepo).claim(OWNER, urls.length, 600)
    return urls.map((url) => pages.find((page) => page.url === url)).filter((page) => page !== undefined)
  })

const calls = (url: string) =>
  Effect.map(
    Effect.flatMap(ScriptedFetches, (fetches) => fetches.log),
    (log) => log.calls.get(url) ?? 0,
  )

const rows = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ url: string; status: string; attempts: number }>`
    SELECT url, page_processing_status AS status, processing_attempts AS attempts FROM pages ORDER BY url`
})

const siteLimited = new RateLimited({
  retryAfter: Duration.seconds(60),
  message: "a.example answered 429",
  site: "a.example",
})

it.layer(TestDatabaseLive)("ProcessPage on fetch failures", (it) => {
  it.effect("a site's 429 holds back that site's other pages for its Retry-After, nothing else", () =>
    Effect.gen(function* () {
      const [a1, a2, b1] = yield* claimed([
        "https://a.example/1",
        "https://a.example/2",
        "https://b.example/1",
      ])
      if (a1 === undefined || a2 === undefined || b1 === undefined) return expect.fail("pages not claimed")
      const { process } = yield* ProcessPage
      const first = yield* Effect.fork(process(a1, Effect.void))
      yield* eventually(asleepFor("60 seconds"))
      const others = yield* Effect.fork(
        Effect.all([process(a2, Effect.void), process(b1, Effect.void)], { concurrency: 2 }),
      )
      // b.example's page is fetched, extracted and saved before any time passes; a2 waits with a1.
      yield* eventually(
        Effect.map(rows, (pages) => pages.some((row) => row.url === b1.url && row.status === "Complete")),
      )
      yield* eventually(asleepFor("60 seconds", 2))
      expect([yield* calls(a2.url), yield* calls(b1.url)]).toEqual([0, 1])
      // The page waits without a slot, and the concurrency limit is untouched.
      expect((yield* (yield* Slots).current).limit).toBe(8)
      yield* TestClock.adjust(Duration.seconds(59))
      expect(yield* calls(a2.url)).toBe(0)
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* calls(a2.url)).toBe(1)
      yield* Fiber.join(first)
      yield* Fiber.join(others)
      expect((yield* rows).map((row) => row.status)).toEqual(["Complete", "Complete", "Complete"])
    }).pipe(
      Effect.provide(
        world((url, call) =>
          url === "https://a.example/1" && call === 1
            ? Effect.fail(siteLimited)
            : Effect.succeed(contactPage(url)),
        ),
      ),
    ),
  )

  it.effect("ScraperAPI's own 429 halves the concurrency limit instead", () =>
    Effect.gen(function* () {
      const [page] = yield* claimed(["https://a.example/1"])
      if (page === undefined) return expect.fail("page not claimed")
      const fiber = yield* Effect.fork((yield* ProcessPage).process(page, Effect.void))
      yield* eventually(asleepFor("60 seconds"))
      expect((yield* (yield* Slots).current).limit).toBe(4)
      yield* TestClock.adjust(Duration.seconds(60))
      yield* Fiber.join(fiber)
    }).pipe(
      Effect.provide(
        world((url, call) =>
          call === 1
            ? Effect.fail(
                new RateLimited({ retryAfter: Duration.seconds(60), message: "ScraperAPI answered 429" }),
              )
            : Effect.succeed(contactPage(url)),
        ),
      ),
    ),
  )

  it.effect("out of file descriptors: the page goes back to the queue with its attempt refunded", () =>
    Effect.gen(function* () {
      const [page] = yield* claimed(["https://a.example/1"])
      if (page === undefined) return expect.fail("page not claimed")
      const fiber = yield* Effect.fork((yield* ProcessPage).process(page, Effect.void))
      yield* eventually(asleepFor("1 second"))
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* Fiber.join(fiber)).toEqual({ outcome: "released" })
      expect(yield* rows).toEqual([{ url: page.url, status: "Queued", attempts: 0 }])
      expect(yield* calls(page.url)).toBe(1)
    }).pipe(
      Effect.provide(
        world(() => Effect.fail(new LocalResourceExhausted({ message: "Transport error (EMFILE)" }))),
      ),
    ),
  )
})
