import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Schedule } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Latency, Sandbox } from "../../src/Sandbox/index.js"
import { sandboxDaemon } from "../support/Daemon.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * Three real daemons, each allowed 30 requests at once, share one ScraperAPI account of 30 (the
 * simulator would take 100, so only the fleet keeps them under 30). Figures come from the
 * simulator's own per-key records; one daemon is killed mid-run and the others finish its pages.
 */

const KEY = "sk-fleet-7a21"
const LIMIT = 30
const LATENCY_MS = 2000
const PAGES = 150

const world = Layer.mergeAll(
  Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)),
  Sandbox.layer({
    apiKey: KEY,
    sites: 320,
    seed: 5,
    latency: Latency.Exponential({ meanMs: LATENCY_MS }),
    concurrencyLimit: 100,
  }),
)

const daemon = Effect.flatMap(TestDatabase, (database) =>
  sandboxDaemon(database.url, KEY, {
    SCRAPER_API_MAX_CONCURRENT: String(LIMIT),
    SCRAPER_API_ACCOUNT_CONCURRENCY: String(LIMIT),
    WF7_NODE_TIMEOUT_SECONDS: "6",
    WF7_POLL_INTERVAL_SECONDS: "0.5",
  }),
)

const total = (rows: ReadonlyArray<{ readonly share: number | null }>) =>
  rows.reduce((sum, row) => sum + (row.share ?? 0), 0)

const waitUntil = <A, E, R>(check: Effect.Effect<A, E, R>, done: (value: A) => boolean) =>
  check.pipe(
    Effect.filterOrFail(done),
    Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), times: 400 }),
  )

layer(world, { timeout: 90_000, excludeTestServices: true })("a fleet of daemons (real processes)", (it) => {
  it.scoped(
    "stays under the account's limit at full speed; a killed daemon's pages are finished by the others",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const sql = yield* SqlClient.SqlClient
        const urls = sandbox.corpus.urls.slice(0, PAGES)
        expect(urls).toHaveLength(PAGES)
        yield* (yield* Curation).importUrls(urls, { select: true })
        const others = [yield* daemon, yield* daemon]
        const victim = yield* daemon
        yield* Effect.forEach([...others, victim], (process) =>
          Effect.promise(() => process.waitFor("worker started")),
        )

        // Full speed: the simulator counts the account's 30 requests in flight at once, and the fleet
        // hands all 30 out (not a wall-clock window's mean: a starved machine leaves slots idle itself).
        yield* sandbox.awaitInFlight(LIMIT).pipe(Effect.timeout("60 seconds"))
        const shares = sql<{ share: number | null }>`SELECT share FROM nodes ORDER BY id`
        yield* waitUntil(shares, (rows) => rows.length === 3 && total(rows) === LIMIT)
        const queued = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pages WHERE page_processing_status = 'Queued'`
        expect(queued[0]?.count).toBeGreaterThan(0)

        const [node] = yield* sql<{ id: string }>`SELECT id FROM nodes WHERE pid = ${victim.child.pid ?? -1}`
        if (node === undefined) return expect.fail("the killed daemon was not in nodes")
        // Killed while it holds pages: between two claims it may briefly hold none.
        const holding = sql<{ id: string }>`
        SELECT id FROM pages WHERE lease_owner = ${node.id} AND page_processing_status = 'Processing'`
        const held = yield* waitUntil(holding, (rows) => rows.length > 0)
        victim.child.kill("SIGKILL")

        // The two left take up its share (15 each, once its heartbeat is 6 s old) and its pages.
        const survivors = sql<{ share: number | null }>`
        SELECT share FROM nodes WHERE id <> ${node.id} ORDER BY id`
        expect((yield* waitUntil(survivors, (rows) => rows.every((row) => row.share === 15))).length).toBe(2)
        const statuses = sql<{ status: string }>`SELECT page_processing_status AS status FROM pages`
        const final = yield* waitUntil(statuses, (rows) => rows.every((row) => row.status === "Complete"))
        expect(final).toHaveLength(PAGES)
        const orphans = yield* sql<{ status: string }>`
        SELECT page_processing_status AS status FROM pages WHERE id IN ${sql.in(held.map((page) => page.id))}`
        expect(orphans.every((page) => page.status === "Complete")).toBe(true)
        expect((yield* sandbox.load(KEY)).peak).toBeLessThanOrEqual(LIMIT)
      }),
    120_000,
  )
})
