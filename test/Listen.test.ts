import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Queue, Redacted, Schedule, Stream } from "effect"
import { listenOn } from "../src/Sql.js"
import { TestDatabase, TestDatabaseLive } from "./support/TestDatabase.js"

/**
 * The daemon's LISTEN: a look once the LISTEN is in place, at start and after a reconnect (a NOTIFY
 * sent before it reached nobody), then one per NOTIFY.
 */

const CHANNEL = "wf7_test_queued"

/** Every look the listener takes, counted in a queue; it reconnects as the daemon's does. */
const looks = Effect.gen(function* () {
  const { url } = yield* TestDatabase
  const seen = yield* Queue.unbounded<void>()
  yield* listenOn({ url: Redacted.make(url) }, CHANNEL, 5).pipe(
    Stream.runForEach(() => Queue.offer(seen, undefined)),
    Effect.retry(Schedule.recurs(3)),
    Effect.forkScoped,
  )
  return seen
})

const listening = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE application_name = 'wf7-listen' AND datname = current_database()`,
)

it.layer(TestDatabaseLive)("listenOn", (it) => {
  it.scoped("looks once the LISTEN is in place, before any NOTIFY, then once per NOTIFY", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const seen = yield* looks
      yield* Queue.take(seen)
      expect(yield* listening).toHaveLength(1)
      yield* sql`SELECT pg_notify(${CHANNEL}, '')`
      yield* Queue.take(seen)
      expect(yield* Queue.size(seen)).toBe(0)
    }),
  )

  it.scoped("looks again once it has reconnected after its connection was lost", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const seen = yield* looks
      yield* Queue.take(seen)
      const [session] = yield* listening
      yield* sql`SELECT pg_terminate_backend(${session?.pid ?? 0})`
      yield* Queue.take(seen)
      const [again] = yield* listening
      expect(again?.pid).not.toBe(session?.pid)
    }),
  )
})
