import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, Schedule } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Latency, Sandbox } from "../../src/Sandbox/index.js"
import { clientLayer } from "../../src/Sql.js"
import { runCli } from "../support/Cli.js"
import { listeningDaemon, sandboxDaemon } from "../support/Daemon.js"
import { databaseUrl, TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

const KEY = "sk-daemon-5c3e"

const world = Layer.mergeAll(
  Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)),
  Sandbox.layer({ apiKey: KEY, sites: 10, seed: 3, latency: Latency.Fixed({ ms: 0 }) }),
)

const daemon = (env: Record<string, string> = {}) =>
  Effect.flatMap(TestDatabase, (database) =>
    // A poll this long means any prompt pick-up came from LISTEN/NOTIFY.
    sandboxDaemon(database.url, KEY, { WF7_POLL_INTERVAL_SECONDS: "600", ...env }),
  )

/** A statement run from the server's `postgres` database, outside the test's own. */
const admin = (statement: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement)).pipe(
    Effect.provide(
      clientLayer(
        { url: Redacted.make(databaseUrl("postgres")) },
        { poolSize: 1, connectTimeoutSeconds: 10 },
      ),
    ),
  )

const statuses = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ status: string | null; attempts: number }>`
    SELECT page_processing_status AS status, processing_attempts AS attempts FROM pages ORDER BY url`
})

/** Waits (checking the database) until every page has left the queue. */
const settled = statuses.pipe(
  Effect.filterOrFail((pages) =>
    pages.every((page) => page.status === "Complete" || page.status === "Error"),
  ),
  Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), times: 300 }),
)

/** A daemon with `count` fresh pages in flight, held by the simulator until `sandbox.release`. */
const pagesInFlight = (count: number, graceSeconds: string) =>
  Effect.gen(function* () {
    const sandbox = yield* Sandbox
    const sql = yield* SqlClient.SqlClient
    yield* sql`TRUNCATE contacts, social_profiles, pages CASCADE`
    yield* sandbox.hold
    const process = yield* listeningDaemon(daemon({ WF7_SHUTDOWN_GRACE_SECONDS: graceSeconds }))
    yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, count), { select: true })
    yield* sandbox.awaitInFlight(count)
    return process
  })

layer(world, { timeout: 90_000, excludeTestServices: true })("wf7 daemon (real process)", (it) => {
  it.scoped("wakes at once when pages are queued, processes them, and exits 0 on SIGTERM", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const process = yield* listeningDaemon(daemon())
      yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, 6), { select: true })
      const pages = yield* settled
      expect(pages.map((page) => page.status)).toEqual(Array(6).fill("Complete"))
      // Once idle again, the daemon says so once, with what it did.
      yield* Effect.promise(() => process.waitFor('"complete":6'))
      const idle = process.output().match(/"queue empty, waiting".*$/gm) ?? []
      expect(idle.at(-1)).toMatch(/"pages":6,.*"complete":6/)
      process.child.kill("SIGTERM")
      expect(yield* Effect.promise(() => process.exited)).toBe(0)
    }),
  )

  it.scoped(
    "on SIGTERM, pages still in flight after the grace period go back to Queued, attempt refunded",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const process = yield* pagesInFlight(4, "0.5")
        process.child.kill("SIGTERM")
        expect(yield* Effect.promise(() => process.exited)).toBe(0)
        yield* sandbox.release
        expect(yield* statuses).toEqual(Array(4).fill({ status: "Queued", attempts: 0 }))
        expect(process.output()).toContain("released 4 unfinished pages to the queue")
      }),
  )

  it.scoped("when the database is gone at shutdown, the log says the pages were not released", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const { name } = yield* TestDatabase
      const process = yield* pagesInFlight(2, "0.5")
      // Nobody, superusers included, reaches the database until it is allowed again.
      yield* admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
      yield* admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`)
      process.child.kill("SIGTERM")
      const code = yield* Effect.promise(() => process.exited)
      yield* admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      yield* sandbox.release
      expect(code).toBe(0)
      expect(process.output()).toContain(
        "could not release 2 unfinished pages; they return to the queue when their lease expires",
      )
      expect(process.output()).not.toContain("released 2 unfinished pages")
      expect((yield* statuses).map((page) => page.status)).toEqual(["Processing", "Processing"])
    }),
  )

  it.scoped("a second signal exits at once; the leases cover the pages left in flight", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const process = yield* pagesInFlight(3, "600")
      process.child.kill("SIGTERM")
      yield* Effect.promise(() => process.waitFor("shutting down"))
      process.child.kill("SIGTERM")
      yield* Effect.promise(() => process.exited)
      expect(process.child.signalCode).toBe("SIGTERM")
      yield* sandbox.release
      expect((yield* statuses).map((page) => page.status)).toEqual(Array(3).fill("Processing"))
    }),
  )

  it.effect("refuses an API key or JWT secret under 32 bytes at start-up, exit 78", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const weak = [
        ["WF7_API_KEY", "guessable-key"],
        ["WF7_JWT_SECRET", "guessable-secret"],
      ] as const
      const results = yield* Effect.forEach(
        weak,
        ([name, value]) =>
          Effect.promise(() => runCli(["daemon"], { env: { DATABASE_URL: url, PORT: "0", [name]: value } })),
        { concurrency: "unbounded" },
      )
      expect(results.map((result) => [result.code, result.stderr.trim()])).toEqual(
        weak.map(([name, value]) => [
          78,
          `wf7: invalid configuration: ${name}: must be at least 32 bytes (got ${value.length})`,
        ]),
      )
    }),
  )

  it.scoped("prints the API key it generated alone on a line, and that key opens the API", () =>
    Effect.gen(function* () {
      const process = yield* daemon()
      yield* Effect.promise(() => process.waitFor("Listening on"))
      const key = /^WF7_API_KEY=([A-Za-z0-9_-]{43})$/m.exec(process.output())?.[1] ?? "no key printed"
      expect(
        process
          .output()
          .split("\n")
          .filter((line) => line.includes(key)),
      ).toEqual([`WF7_API_KEY=${key}`])
      const port = /Listening on http:\/\/[^"]*:(\d+)/.exec(process.output())?.[1]
      const answer = (authorization: string) =>
        Effect.promise(() =>
          fetch(`http://127.0.0.1:${port}/api/v3/pages`, { headers: { authorization } }).then(
            (r) => r.status,
          ),
        )
      expect(yield* answer(`Bearer ${key}`)).toBe(200)
      expect(yield* answer("Bearer another-key")).toBe(401)
    }),
  )
})
