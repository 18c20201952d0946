import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, FiberId, Schedule } from "effect"
import { Engine } from "../../src/Processing/Engine.js"
import { contactPage, ScriptedFetches } from "../support/ScriptedFetcher.js"
import { pagesByStatus, queue, urls, world } from "../support/EngineWorld.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * A fetch slot is the upstream's only: pages waiting for their save hold none, and the scheduler
 * claims again as soon as the upstream has room, whatever the batch size.
 */

const slow = world((url) => Effect.as(Effect.sleep(Duration.millis(20)), contactPage(url)), {
  WF7_ENABLE_CONCURRENT_PROCESSING: "true",
  SCRAPER_API_MAX_CONCURRENT: "2",
  WF7_CONCURRENT_BATCH_SIZE: "2",
})

// Fetches that wait until the test lets them go.
const fetchesGoOn = Deferred.unsafeMake<void>(FiberId.none)

const fetchLog = Effect.flatMap(ScriptedFetches, (fetches) => fetches.log)

const fetched = Effect.map(fetchLog, (log) => [...log.calls.values()].reduce((sum, calls) => sum + calls, 0))

/** Polls until `condition` holds; a bounded wait for the other fibers, not a timing assertion. */
const until = <R>(condition: Effect.Effect<boolean, never, R>) =>
  condition.pipe(
    Effect.repeat({ until: (met) => met, schedule: Schedule.spaced(Duration.millis(10)) }),
    Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => "condition never met" }),
  )

layer(TestDatabaseLive, { excludeTestServices: true })("backpressure", (it) => {
  it.effect("the upstream keeps fetching while every save is blocked behind another transaction", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* queue(urls(12))
      // Another transaction holds the pages' domain: every contact insert (a foreign key to it) waits.
      const locked = yield* Deferred.make<void>()
      const unlock = yield* Deferred.make<void>()
      const holder = yield* sql
        .withTransaction(
          Effect.gen(function* () {
            yield* sql`SELECT id FROM domains FOR UPDATE`
            yield* Deferred.succeed(locked, undefined)
            yield* Deferred.await(unlock)
          }),
        )
        .pipe(Effect.fork)
      yield* Deferred.await(locked)
      const engine = yield* Effect.fork((yield* Engine).run(true))
      // Two slots, batches of two, and not one save through: still, every page reaches the upstream.
      yield* until(Effect.map(fetched, (count) => count === 12))
      expect((yield* pagesByStatus).every((page) => page.status === "Processing")).toBe(true)
      yield* Deferred.succeed(unlock, undefined)
      yield* Fiber.join(holder)
      yield* Fiber.join(engine)
      expect((yield* pagesByStatus).map((page) => page.status)).toEqual(Array(12).fill("Complete"))
    }).pipe(Effect.provide(slow)),
  )

  const drains = (concurrency: number, batch: number) =>
    it.effect(`C=${concurrency} with batches of ${batch}: every page once, never more than C in flight`, () =>
      Effect.gen(function* () {
        yield* queue(urls(30))
        yield* (yield* Engine).run(true)
        const log = yield* (yield* ScriptedFetches).log
        expect(log.maxInFlight).toBe(concurrency)
        expect([...log.calls.values()]).toEqual(Array(30).fill(1))
        expect((yield* pagesByStatus).map((page) => page.status)).toEqual(Array(30).fill("Complete"))
      }).pipe(
        Effect.provide(
          // Fetches slow enough that claims of a few pages keep up with them on a loaded machine.
          world((url) => Effect.as(Effect.sleep(Duration.millis(150)), contactPage(url)), {
            WF7_ENABLE_CONCURRENT_PROCESSING: "true",
            SCRAPER_API_MAX_CONCURRENT: String(concurrency),
            WF7_CONCURRENT_BATCH_SIZE: String(batch),
          }),
        ),
      ),
    )
  drains(3, 10)
  drains(10, 3)

  it.effect(
    "with a fleet share below its limit, the node claims for its limit: its demand reaches the fleet",
    () =>
      Effect.gen(function* () {
        yield* queue(urls(30))
        const engine = yield* Effect.fork((yield* Engine).run(true))
        // Two slots of the account's, eight wanted, batches of two: eight plus a batch held, two fetching.
        const processing = Effect.map(
          Effect.orDie(pagesByStatus),
          (pages) => pages.filter((page) => page.status === "Processing").length,
        )
        const inFlight = Effect.map(fetchLog, (log) => log.maxInFlight)
        // Claimed rows and fetches started are two steps apart: both are waited for.
        yield* until(Effect.map(Effect.all([processing, inFlight]), ([held, max]) => held === 10 && max >= 2))
        expect(yield* inFlight).toBe(2)
        yield* Deferred.succeed(fetchesGoOn, undefined)
        yield* Fiber.join(engine)
        expect((yield* pagesByStatus).map((page) => page.status)).toEqual(Array(30).fill("Complete"))
      }).pipe(
        Effect.provide(
          world((url) => Effect.as(Deferred.await(fetchesGoOn), contactPage(url)), {
            WF7_ENABLE_CONCURRENT_PROCESSING: "true",
            SCRAPER_API_MAX_CONCURRENT: "8",
            SCRAPER_API_ACCOUNT_CONCURRENCY: "2",
            WF7_CONCURRENT_BATCH_SIZE: "2",
          }),
        ),
      ),
  )
})
