import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, TestClock } from "effect"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { Curation } from "../../src/Pages/Curation.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { FetchGate } from "../../src/Fetch/FetchGate.js"
import { ProcessPage } from "../../src/Processing/ProcessPage.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import { contactPage } from "../support/ScriptedFetcher.js"
import { configFrom } from "../support/TestConfig.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"
import { htmlBody } from "../support/Bodies.js"

/**
 * WF7_CREDITS_DAILY_BUDGET on real Postgres in TestClock time: once the UTC day's spend reaches the
 * budget, fetching pauses (one ERROR line), the next pages go back to the queue with no attempt
 * spent, and fetching resumes at the next UTC midnight.
 */

const OWNER = "budget-test"
const CREDITS_PER_PAGE = 4

// Every page costs 4 credits, as ScraperAPI would say in sa-credit-cost.
const pricedFetcher = Layer.succeed(
  PageFetcher,
  PageFetcher.of({
    fetch: (url) =>
      Effect.succeed({ url, body: htmlBody(contactPage(url)), credits: CREDITS_PER_PAGE, rendered: false }),
  }),
)

const world = engineWith(pricedFetcher).pipe(
  Layer.provideMerge(Curation.Default),
  Layer.provideMerge(
    configFrom({
      SCRAPER_API_KEY: "budget-test-key",
      // `/account` is asked when the pause ends: nobody answers there, so the plan is not in the way.
      SCRAPER_API_BASE_URL: "http://127.0.0.1:1/",
      WF7_RENDER: "never",
      WF7_CREDITS_DAILY_BUDGET: "10",
    }),
  ),
  Layer.provideMerge(TestDatabaseLive),
)

const processOne = Effect.gen(function* () {
  const [page] = yield* (yield* PagesRepo).claim(OWNER, 1, 600)
  if (page === undefined) return yield* Effect.dieMessage("no page to claim")
  return yield* (yield* ProcessPage).process(page, Effect.void)
})

const pages = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ url: string; status: string; attempts: number; credits: number }>`
    SELECT url, page_processing_status AS status, processing_attempts AS attempts, credits_spent AS credits
    FROM pages ORDER BY url`,
)

describe("daily credit budget", () => {
  it.effect(
    "pauses when the day's spend reaches it, leaves pages queued, resumes at the next UTC day",
    () => {
      const lines: Array<LogLine> = []
      return collectLogs(
        Effect.gen(function* () {
          const urls = [
            "https://a.example/1",
            "https://a.example/2",
            "https://a.example/3",
            "https://a.example/4",
          ]
          yield* (yield* Curation).importUrls(urls, { select: true })
          expect((yield* processOne).outcome).toBe("complete")
          expect((yield* processOne).outcome).toBe("complete")
          expect((yield* processOne).outcome).toBe("complete") // 12 credits: the budget of 10 is reached
          expect((yield* (yield* FetchGate).current).state).toBe("paused")
          expect((yield* processOne).outcome).toBe("released")
          const sql = yield* SqlClient.SqlClient
          expect(yield* sql`SELECT day::text, credits::int FROM credits_daily`).toEqual([
            { day: "2026-11-30", credits: 12 },
          ])
          expect((yield* pages).map((row) => `${row.status} ${row.attempts} ${row.credits}`).sort()).toEqual([
            "Complete 1 4",
            "Complete 1 4",
            "Complete 1 4",
            "Queued 0 0",
          ])
          const errors = lines.filter((line) => line.level === "ERROR")
          expect(errors.map((line) => line.message)).toEqual([
            "WF7_CREDITS_DAILY_BUDGET reached: fetching paused until 2026-12-01T00:00:00.000Z, pages stay queued",
          ])
          yield* TestClock.adjust(Duration.minutes(4 * 60 - 1))
          expect((yield* (yield* FetchGate).current).state).toBe("paused")
          yield* TestClock.adjust(Duration.minutes(1))
          expect((yield* (yield* FetchGate).current).state).toBe("ok")
          expect((yield* processOne).outcome).toBe("complete")
          expect((yield* pages).map((row) => `${row.status} ${row.attempts} ${row.credits}`)).toEqual(
            Array.from({ length: 4 }, () => "Complete 1 4"),
          )
          expect(yield* sql`SELECT day::text, credits::int FROM credits_daily ORDER BY day`).toEqual([
            { day: "2026-11-30", credits: 12 },
            { day: "2026-12-01", credits: 4 },
          ])
        }).pipe(
          Effect.provide(world),
          // 20:00 UTC on some day, midnight four hours away; set before the world starts, whose
          // heartbeats TestClock would otherwise replay from 1970, one by one.
          (run) => Effect.zipRight(TestClock.setTime(Date.UTC(2026, 10, 30, 20)), run),
        ),
        lines,
      )
    },
  )
})
