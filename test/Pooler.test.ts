import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, Schedule } from "effect"
import { Curation } from "../src/Pages/Curation.js"
import { detectPooler } from "../src/Pooler.js"
import { Latency, Sandbox } from "../src/Sandbox/index.js"
import { runCli } from "./support/Cli.js"
import { listeningDaemon, sandboxDaemon } from "./support/Daemon.js"
import { PgBouncer, PgBouncerLive } from "./support/PgBouncer.js"
import { TestDatabase, TestDatabaseLive } from "./support/TestDatabase.js"

/**
 * Behind a transaction pooler: a real PgBouncer in pool_mode=transaction in front of the test's
 * Postgres, and the daemon as a real process whose DATABASE_URL is the pooler.
 */

const KEY = "sk-pooler-3f1a"
const PAGES = 600

const world = PgBouncerLive.pipe(
  Layer.provideMerge(Layer.mergeAll(Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)))),
  Layer.merge(
    Sandbox.layer({
      apiKey: KEY,
      sites: 400,
      seed: 15,
      concurrencyLimit: 1000,
      latency: Latency.Fixed({ ms: 5 }),
    }),
  ),
)

/**
 * A daemon whose DATABASE_URL is PgBouncer; killed at the end of the test if still running. A node
 * starved of CPU past its heartbeat timeout (15 s by default, seen under load) would be counted dead
 * and its pages fetched again by the others: right for a fleet, not what this test is about.
 */
const daemon = (env: Record<string, string> = {}) =>
  Effect.flatMap(PgBouncer, (bouncer) =>
    sandboxDaemon(bouncer.url, KEY, {
      WF7_POLL_INTERVAL_SECONDS: "0.2",
      WF7_NODE_TIMEOUT_SECONDS: "120",
      ...env,
    }),
  )

const pages = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ url: string; status: string | null; attempts: number }>`
    SELECT url, page_processing_status AS status, processing_attempts AS attempts FROM pages ORDER BY url`
})

/** Waits (checking the database) until no page is queued or in flight. */
const settled = pages.pipe(
  Effect.filterOrFail(
    (all) => all.every((page) => page.status === "Complete" || page.status === "Error"),
    (all) => new Error(`${all.filter((page) => page.status !== "Complete").length} pages not Complete`),
  ),
  Effect.retry({ schedule: Schedule.spaced(Duration.millis(200)), times: 800 }),
)

/** Stored contacts and profiles per domain, and what the sample sites of `urls` show. */
const storedAndExpected = (urls: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { corpus } = yield* Sandbox
    const rows = yield* sql<{ domain: string; value: string }>`
      SELECT d.domain, coalesce(c.email, c.phone) AS value FROM contacts c JOIN domains d ON d.id = c.domain_id
      UNION ALL
      SELECT d.domain, s.platform || ':' || s.handle FROM social_profiles s JOIN domains d ON d.id = s.domain_id`
    const stored = new Map<string, Array<string>>()
    for (const row of rows) stored.set(row.domain, [...(stored.get(row.domain) ?? []), row.value].sort())
    const expected = new Map<string, Set<string>>()
    for (const page of urls.flatMap((url) => corpus.page(url) ?? [])) {
      const values = expected.get(page.site.domain) ?? new Set<string>()
      const socials = page.expected.socials.map((social) => `${social.platform}:${social.handle}`)
      for (const value of [...page.expected.emails, ...page.expected.phones, ...socials]) values.add(value)
      expected.set(page.site.domain, values)
    }
    return {
      stored,
      expected: new Map([...expected].map(([domain, values]) => [domain, [...values].sort()])),
    }
  })

layer(world, { timeout: 180_000, excludeTestServices: true })(
  "behind PgBouncer in transaction mode",
  (it) => {
    it.effect("the detection finds the transaction pooler behind PgBouncer, and none on a direct URL", () =>
      Effect.gen(function* () {
        const bouncer = yield* PgBouncer
        const database = yield* TestDatabase
        const pooled = yield* detectPooler({ url: Redacted.make(bouncer.url) }, Duration.seconds(5))
        expect(pooled.mode).toBe("transaction")
        expect(pooled.reason).toMatch(/^detected: /)
        const direct = yield* detectPooler({ url: Redacted.make(database.url) }, Duration.seconds(5))
        expect(direct).toEqual({
          mode: "none",
          reason: "detected: each client connection kept its own server session",
        })
      }),
    )

    it.scoped(
      "three daemons drain 600 pages through it: each Complete once, contacts once, no prepared-statement or LISTEN error",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          const bouncer = yield* PgBouncer
          const urls = sandbox.corpus.urls.slice(0, PAGES)
          expect(urls).toHaveLength(PAGES)
          yield* (yield* Curation).importUrls(urls, { select: true })
          const daemons = yield* Effect.all([daemon(), daemon(), daemon()])
          const all = yield* settled
          expect(all.filter((page) => page.status === "Complete" && page.attempts === 1)).toHaveLength(PAGES)
          // Each page was fetched by exactly one daemon, exactly once.
          const { perTarget } = yield* sandbox.stats
          expect(urls.filter((url) => perTarget.get(url) !== 1)).toEqual([])
          const { stored, expected } = yield* storedAndExpected(urls)
          expect(stored).toEqual(expected)
          for (const process of daemons) {
            process.child.kill("SIGTERM")
            expect(yield* Effect.promise(() => process.exited)).toBe(0)
            const log = process.output()
            expect(log).toMatch(/database pooler mode: transaction \(detected: /)
            expect(log).toContain(
              "no LISTEN behind a transaction pooler: polling for queued pages every 0.2s",
            )
            expect(log).not.toMatch(/prepared statement|LISTEN connection lost|"level":"ERROR"/i)
          }
          // The export streams through a cursor, fetched in parts: it holds its server session throughout.
          const exported = yield* Effect.promise(() =>
            runCli(["contacts", "--json"], { env: { DATABASE_URL: bouncer.url } }),
          )
          const counted = yield* (yield* SqlClient.SqlClient)<{ contacts: number }>`
            SELECT count(*)::int AS contacts FROM contacts`
          const contacts = counted[0]?.contacts ?? 0
          expect(contacts).toBeGreaterThan(1000)
          expect([exported.code, exported.stdout.trim().split("\n").length]).toEqual([0, contacts])
          expect(bouncer.log()).not.toMatch(/prepared statement| ERROR | WARNING /i)
        }),
      // A wide margin: on a shared, loaded machine three daemons may take a minute or more.
      180_000,
    )

    it.scoped("wf7 migrate through it: an empty database is migrated, then found up to date", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const bouncer = yield* PgBouncer
        const name = `wf7_pooler_migrate_${Date.now()}`
        yield* Effect.acquireRelease(sql.unsafe(`CREATE DATABASE ${name}`), () =>
          sql.unsafe(`DROP DATABASE ${name} WITH (FORCE)`).pipe(Effect.orDie),
        )
        const url = bouncer.url.replace(/\/[^/]+$/, `/${name}`)
        const migrate = () => runCli(["migrate"], { env: { DATABASE_URL: url } })
        const first = yield* Effect.promise(migrate)
        expect([first.code, first.stderr]).toEqual([0, ""])
        expect(first.stdout).toContain("applied migration 1 ")
        const again = yield* Effect.promise(migrate)
        expect([again.code, again.stdout.trim()]).toEqual([0, "database is up to date"])
      }),
    )

    it.scoped(
      "WF7_DB_POOLER=transaction with WF7_LISTEN_DATABASE_URL (direct): it LISTENs there, woken at once",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const sandbox = yield* Sandbox
          const database = yield* TestDatabase
          yield* sql`TRUNCATE contacts, social_profiles, pages, domains CASCADE`
          // A poll this long means any prompt pick-up came from NOTIFY.
          const process = yield* listeningDaemon(
            daemon({
              WF7_DB_POOLER: "transaction",
              WF7_POLL_INTERVAL_SECONDS: "600",
              WF7_LISTEN_DATABASE_URL: database.url,
            }),
          )
          yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, 5), { select: true })
          const all = yield* settled
          expect(all.map((page) => page.status)).toEqual(Array(5).fill("Complete"))
          expect(process.output()).toContain("database pooler mode: transaction (set by WF7_DB_POOLER)")
          expect(process.output()).not.toContain("no LISTEN")
          expect(process.output()).not.toContain(database.url)
        }),
    )
  },
)
