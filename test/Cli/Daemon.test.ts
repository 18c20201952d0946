import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Schedule } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Latency, Sandbox } from "../../src/Sandbox/index.js"
import { startCli } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

const KEY = "sk-daemon-5c3e"

const world = Layer.mergeAll(
  Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)),
  Sandbox.layer({ apiKey: KEY, sites: 10, seed: 3, latency: Latency.Fixed({ ms: 0 }) }),
)

const daemon = (env: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const database = yield* TestDatabase
    const sandbox = yield* Sandbox
    return yield* Effect.acquireRelease(
      Effect.sync(() =>
        startCli(["daemon"], {
          DATABASE_URL: database.url,
          SCRAPER_API_KEY: KEY,
          SCRAPER_API_BASE_URL: sandbox.baseUrl,
          WF7_ENABLE_CONCURRENT_PROCESSING: "true",
          PORT: "0",
          // A poll this long means any prompt pick-up came from LISTEN/NOTIFY.
          WF7_POLL_INTERVAL_SECONDS: "600",
          ...env,
        }),
      ),
      (process) => Effect.sync(() => process.child.kill("SIGKILL")),
    )
  })

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

layer(world, { timeout: 90_000, excludeTestServices: true })("wf7 daemon (real process)", (it) => {
  it.scoped("wakes at once when pages are queued, processes them, and exits 0 on SIGTERM", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const process = yield* daemon()
      yield* Effect.promise(() => process.waitFor("worker started"))
      yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, 6), { select: true })
      const pages = yield* settled
      expect(pages.map((page) => page.status)).toEqual(Array(6).fill("Complete"))
      process.child.kill("SIGTERM")
      expect(yield* Effect.promise(() => process.exited)).toBe(0)
    }),
  )

  it.scoped(
    "on SIGTERM, pages still in flight after the grace period go back to Queued, attempt refunded",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const sql = yield* SqlClient.SqlClient
        yield* sql`DELETE FROM contacts`
        yield* sql`DELETE FROM social_profiles`
        yield* sql`DELETE FROM pages`
        yield* sandbox.hold
        const process = yield* daemon({ WF7_SHUTDOWN_GRACE_SECONDS: "0.5" })
        yield* Effect.promise(() => process.waitFor("worker started"))
        yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, 4), { select: true })
        yield* sandbox.awaitInFlight(4)
        process.child.kill("SIGTERM")
        expect(yield* Effect.promise(() => process.exited)).toBe(0)
        yield* sandbox.release
        expect(yield* statuses).toEqual(Array(4).fill({ status: "Queued", attempts: 0 }))
        expect(process.output()).toContain("released 4 unfinished pages to the queue")
      }),
  )

  it.scoped("a second signal exits at once; the leases cover the pages left in flight", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const sql = yield* SqlClient.SqlClient
      yield* sql`TRUNCATE contacts, social_profiles, pages CASCADE`
      yield* sandbox.hold
      const process = yield* daemon({ WF7_SHUTDOWN_GRACE_SECONDS: "600" })
      yield* Effect.promise(() => process.waitFor("worker started"))
      yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, 3), { select: true })
      yield* sandbox.awaitInFlight(3)
      process.child.kill("SIGTERM")
      yield* Effect.promise(() => process.waitFor("shutting down"))
      process.child.kill("SIGTERM")
      yield* Effect.promise(() => process.exited)
      expect(process.child.signalCode).toBe("SIGTERM")
      yield* sandbox.release
      expect((yield* statuses).map((page) => page.status)).toEqual(Array(3).fill("Processing"))
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
