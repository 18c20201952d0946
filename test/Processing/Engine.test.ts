import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { CreditsExhausted, PageGone, UpstreamFailed } from "../../src/Fetch/Errors.js"
import { PageSaves } from "../../src/Pages/PageSaves.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { Engine } from "../../src/Processing/Engine.js"
import { ok, pagesByStatus, queue, urls, world } from "../support/EngineWorld.js"
import { contactPage, ScriptedFetches, type Script } from "../support/ScriptedFetcher.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

// The live clock: a lease expires by Postgres's now(), which TestClock cannot move.
layer(TestDatabaseLive, { excludeTestServices: true })("Engine on real Postgres", (it) => {
  it.effect("stores every page's contacts; re-processing adds no duplicates", () =>
    Effect.gen(function* () {
      yield* queue(urls(12))
      const engine = yield* Engine
      expect(yield* engine.run(true)).toBe("idle")
      const sql = yield* SqlClient.SqlClient
      const count = () =>
        sql<{ contacts: number; socials: number }>`
          SELECT (SELECT count(*)::int FROM contacts) AS contacts,
                 (SELECT count(*)::int FROM social_profiles) AS socials`
      expect(yield* count()).toEqual([{ contacts: 24, socials: 12 }])
      expect((yield* pagesByStatus).every((page) => page.status === "Complete")).toBe(true)
      expect((yield* engine.totals).complete).toBe(12)
      yield* queue(urls(12))
      yield* engine.run(true)
      expect(yield* count()).toEqual([{ contacts: 24, socials: 12 }])
    }).pipe(Effect.provide(world(ok))),
  )

  it.effect("sequential by default: one fetch at a time", () =>
    Effect.gen(function* () {
      yield* queue(urls(8))
      yield* (yield* Engine).run(true)
      expect((yield* (yield* ScriptedFetches).log).maxInFlight).toBe(1)
    }).pipe(Effect.provide(world((url) => Effect.as(Effect.sleep(Duration.millis(5)), contactPage(url))))),
  )

  it.effect("concurrent: fills up to SCRAPER_API_MAX_CONCURRENT slots, never more", () =>
    Effect.gen(function* () {
      yield* queue(urls(40))
      yield* (yield* Engine).run(true)
      const log = yield* (yield* ScriptedFetches).log
      expect(log.maxInFlight).toBe(4)
      expect([...log.calls.values()].every((calls) => calls === 1)).toBe(true)
    }).pipe(
      Effect.provide(
        world((url) => Effect.as(Effect.sleep(Duration.millis(20)), contactPage(url)), {
          WF7_ENABLE_CONCURRENT_PROCESSING: "true",
          SCRAPER_API_MAX_CONCURRENT: "4",
        }),
      ),
    ),
  )

  it.effect("WF7_CONCURRENT_ROLLOUT_PERCENT=0: the flag is on but every batch runs sequentially", () =>
    Effect.gen(function* () {
      yield* queue(urls(20))
      yield* (yield* Engine).run(true)
      expect((yield* (yield* ScriptedFetches).log).maxInFlight).toBe(1)
    }).pipe(
      Effect.provide(
        world((url) => Effect.as(Effect.sleep(Duration.millis(5)), contactPage(url)), {
          WF7_ENABLE_CONCURRENT_PROCESSING: "true",
          WF7_CONCURRENT_ROLLOUT_PERCENT: "0",
        }),
      ),
    ),
  )

  it.effect("after a rollback (ScraperAPI 5xx), batches run sequentially for the cooldown", () => {
    // In flight at once among the healthy pages, which are only queued after the rollback.
    const healthy = { now: 0, max: 0 }
    const script: Script = (url) =>
      url.includes("failing")
        ? Effect.fail(new UpstreamFailed({ status: 500, message: "upstream 500" })).pipe(
            Effect.delay(Duration.millis(5)),
          )
        : Effect.acquireUseRelease(
            Effect.sync(() => (healthy.max = Math.max(healthy.max, ++healthy.now))),
            () => Effect.as(Effect.sleep(Duration.millis(5)), contactPage(url)),
            () => Effect.sync(() => healthy.now--),
          )
    return Effect.gen(function* () {
      yield* queue(urls(12, "https://failing.example.com/p"))
      const engine = yield* Engine
      yield* engine.run(true)
      expect((yield* (yield* ScriptedFetches).log).maxInFlight).toBeGreaterThan(1)
      expect(yield* engine.status).toMatchObject({ mode: "rolled-back", effectiveConcurrency: 1 })
      yield* queue(urls(10))
      yield* engine.run(true)
      expect(healthy.max).toBe(1)
    }).pipe(
      Effect.provide(
        world(script, { WF7_ENABLE_CONCURRENT_PROCESSING: "true", WF7_CONCURRENT_BATCH_SIZE: "12" }),
      ),
    )
  })

  it.effect("404 ends as Error after one request; a 500 after its retries; others complete", () =>
    Effect.gen(function* () {
      yield* queue([
        "https://a.example.com/gone",
        "https://a.example.com/broken",
        "https://a.example.com/fine",
      ])
      yield* (yield* Engine).run(true)
      const pages = yield* pagesByStatus
      expect(pages).toEqual([
        {
          url: "https://a.example.com/broken",
          status: "Error",
          error: "UpstreamFailed: upstream 500",
          attempts: 1,
        },
        { url: "https://a.example.com/fine", status: "Complete", error: null, attempts: 1 },
        { url: "https://a.example.com/gone", status: "Error", error: "PageGone: not found", attempts: 1 },
      ])
      const { calls } = yield* (yield* ScriptedFetches).log
      expect(calls.get("https://a.example.com/gone")).toBe(1)
      expect(calls.get("https://a.example.com/broken")).toBe(3)
    }).pipe(
      Effect.provide(
        world((url) =>
          url.endsWith("gone")
            ? Effect.fail(new PageGone({ status: 404, message: "not found" }))
            : url.endsWith("broken")
              ? Effect.fail(new UpstreamFailed({ status: 500, message: "upstream 500" }))
              : ok(url, 1),
        ),
      ),
    ),
  )

  it.effect("403 pauses fetching: pages go back to Queued with no attempt spent, no more requests", () =>
    Effect.gen(function* () {
      yield* queue(urls(3))
      const engine = yield* Engine
      expect(yield* engine.run(true)).toBe("paused")
      const pages = yield* pagesByStatus
      expect(pages.map((page) => [page.status, page.attempts])).toEqual([
        ["Queued", 0],
        ["Queued", 0],
        ["Queued", 0],
      ])
      expect((yield* engine.status).fetcher.state).toBe("paused")
      // Only the first page asked: the others, already claimed, went back without a request.
      const { calls } = yield* (yield* ScriptedFetches).log
      expect([...calls.values()].reduce((sum, count) => sum + count, 0)).toBe(1)
    }).pipe(
      Effect.provide(
        world(() => Effect.fail(new CreditsExhausted({ message: "You have exhausted the API Credits" }))),
      ),
    ),
  )

  it.effect("two engines on one queue never process a page twice", () =>
    Effect.gen(function* () {
      yield* queue(urls(60))
      const [first, second] = yield* Effect.all([makeEngine, makeEngine])
      yield* Effect.all([first.run(true), second.run(true)], { concurrency: 2 })
      const [a, b] = [yield* first.totals, yield* second.totals]
      expect(a.complete + b.complete).toBe(60)
      expect(a.complete).toBeGreaterThan(0)
      expect(b.complete).toBeGreaterThan(0)
      const { calls } = yield* (yield* ScriptedFetches).log
      expect(calls.size).toBe(60)
      expect([...calls.values()].every((count) => count === 1)).toBe(true)
    }).pipe(
      Effect.scoped,
      Effect.provide(
        world((url) => Effect.as(Effect.sleep(Duration.millis(2)), contactPage(url)), {
          WF7_ENABLE_CONCURRENT_PROCESSING: "true",
        }),
      ),
    ),
  )

  it.effect("a live page slower than its lease is renewed, not rescued by another worker", () =>
    Effect.gen(function* () {
      yield* queue(["https://slow.example.com/contact"])
      const [first, second] = yield* Effect.all([makeEngine, makeEngine])
      // The second worker has nothing to claim but keeps looking for expired leases meanwhile.
      yield* Effect.all([first.run(true), second.run(true)], { concurrency: 2 })
      const { calls } = yield* (yield* ScriptedFetches).log
      expect(calls.get("https://slow.example.com/contact")).toBe(1)
      expect(yield* pagesByStatus).toEqual([
        { url: "https://slow.example.com/contact", status: "Complete", error: null, attempts: 1 },
      ])
    }).pipe(
      Effect.scoped,
      Effect.provide(
        world((url) => Effect.as(Effect.sleep(Duration.millis(3500)), contactPage(url)), {
          WF7_LEASE_SECONDS: "1",
        }),
      ),
    ),
  )

  it.effect("a page whose save crashed is rescued when its lease expires and completes once", () =>
    Effect.gen(function* () {
      yield* queue(["https://crash.example.com/contact"])
      const repo = yield* PagesRepo
      const sql = yield* SqlClient.SqlClient
      // A worker claimed it and died mid-save: its transaction rolled back, its lease ran out.
      const [claimed] = yield* repo.claim("dead-worker", 1, 60)
      if (claimed === undefined) return expect.fail("the page was not claimed")
      yield* sql`UPDATE pages SET lease_expires_at = now() - interval '1 second' WHERE id = ${claimed.id}`
      // The dead worker's late save is fenced out once the page is rescued.
      yield* (yield* Engine).run(true)
      const late = yield* (yield* PageSaves).save([
        {
          page: claimed,
          spend: { credits: 0, fetchedWith: "direct", reason: "direct" },
          result: { _tag: "Complete", extraction: { emails: [], phones: [], socials: [] }, dropped: 0 },
        },
      ])
      expect(late).toEqual([{ _tag: "LeaseLost" }])
      expect(yield* pagesByStatus).toEqual([
        { url: "https://crash.example.com/contact", status: "Complete", error: null, attempts: 2 },
      ])
    }).pipe(Effect.provide(world(ok))),
  )
})

/** A second engine (its own owner and loop) over the same database, fetcher and config. */
const makeEngine = Effect.flatMap(Layer.build(Engine.Default), (context) => Effect.provide(Engine, context))
