import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Layer, TestClock } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Lease } from "../../src/Processing/Lease.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import { configFrom } from "../support/TestConfig.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"
import { soloFleet } from "../support/TestFleet.js"

const layer = Layer.mergeAll(Lease.Default, Curation.Default).pipe(
  Layer.provide(soloFleet),
  Layer.provideMerge(configFrom({ WF7_LEASE_SECONDS: "30" })),
  Layer.provideMerge(TestDatabaseLive),
)

describe("Lease heartbeat", () => {
  it.effect("a heartbeat held up for WF7_LEASE_SECONDS/3 says so", () => {
    const lines: Array<LogLine> = []
    return Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* (yield* Curation).importUrls(["https://shop.example.com/a"], { select: true })
      const lease = yield* Lease
      const [page] = yield* lease.claim(1)
      // Another session holds the page's row: the renewal waits for it.
      const locked = yield* Deferred.make<void>()
      const unlock = yield* Deferred.make<void>()
      const holder = yield* sql
        .withTransaction(
          Effect.zipRight(
            sql`SELECT id FROM pages WHERE id = ${page!.id} FOR UPDATE`,
            Effect.zipRight(Deferred.succeed(locked, undefined), Deferred.await(unlock)),
          ),
        )
        .pipe(Effect.fork)
      yield* Deferred.await(locked)
      const late = () => lines.filter((line) => line.message.startsWith("lease heartbeat has not completed"))
      yield* TestClock.adjust(Duration.seconds(10))
      yield* Effect.repeatN(Effect.yieldNow(), 20)
      expect(late()).toEqual([])
      yield* TestClock.adjust(Duration.seconds(10))
      expect(late()).toMatchObject([{ level: "WARN", fields: { held: 1 } }])
      expect(late()[0]!.message).toContain("WF7_LEASE_SECONDS/3")
      yield* Deferred.succeed(unlock, undefined)
      yield* Fiber.join(holder)
    }).pipe(Effect.provide(layer), (effect) => collectLogs(effect, lines))
  })
})
