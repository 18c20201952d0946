import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { connectionsOf } from "../../src/Pages/Diagnostics.js"
import { Curation } from "../../src/Pages/Curation.js"
import { runCli } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * `wf7 diagnose` against a database in a known state: 6 pages (2 queued, 1 complete and 1 failed two
 * hours ago, 1 stuck past its lease, 1 live in processing) and 4 contacts, one of them 30 hours old.
 */

const urls = ["queued-1", "queued-2", "complete", "error", "stuck", "live"].map(
  (name) => `https://diagnose.example.com/${name}`,
)

class Facts extends Context.Tag("test/DiagnoseFacts")<
  Facts,
  { readonly bucket: Date; readonly latest: Date; readonly stuckId: string; readonly maxConnections: number }
>() {}

const knownState = Effect.gen(function* () {
  yield* (yield* Curation).importUrls(urls, { select: true })
  const sql = yield* SqlClient.SqlClient
  const twoHoursAgo = sql`date_trunc('hour', now()) - interval '2 hours' + interval '10 minutes'`
  const page = (name: string) => sql`url = ${`https://diagnose.example.com/${name}`}`
  yield* sql`UPDATE pages SET page_processing_status = 'Complete', processed_at = ${twoHoursAgo},
    credits_spent = 11, contact_count = 3 WHERE ${page("complete")}`
  yield* sql`UPDATE pages SET page_processing_status = 'Error', processed_at = ${twoHoursAgo},
    page_processing_error = 'PageGone: 404', credits_spent = 1 WHERE ${page("error")}`
  yield* sql`INSERT INTO credits_daily (day, credits) VALUES ((now() AT TIME ZONE 'UTC')::date, 12)`
  yield* sql`UPDATE pages SET page_processing_status = 'Processing', lease_owner = 'dead-worker',
    lease_expires_at = now() - interval '5 minutes', processing_attempts = 2 WHERE ${page("stuck")}`
  yield* sql`UPDATE pages SET page_processing_status = 'Processing', lease_owner = 'live-worker',
    lease_expires_at = now() + interval '5 minutes', processing_attempts = 1 WHERE ${page("live")}`
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
    SELECT id, domain_id, e.email, 'SERVICE', 'mailto', ${twoHoursAgo}
    FROM pages, (VALUES ('info@diagnose.example.com'), ('sales@diagnose.example.com')) AS e(email)
    WHERE ${page("complete")}`
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, phone, phone_type, source, created_at)
    SELECT id, domain_id, '+14155550100', 'BUSINESS', 'tel', ${twoHoursAgo} FROM pages WHERE ${page("complete")}`
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
    SELECT id, domain_id, 'old@diagnose.example.com', 'SERVICE', 'text', now() - interval '30 hours'
    FROM pages WHERE ${page("complete")}`
  const [facts] = yield* sql<{ bucket: Date; latest: Date; stuckId: string; maxConnections: number }>`
    SELECT date_trunc('hour', now()) - interval '2 hours' AS bucket,
           (SELECT max(created_at) FROM contacts) AS latest,
           (SELECT id FROM pages WHERE ${page("stuck")}) AS "stuckId",
           current_setting('max_connections')::int AS "maxConnections"`
  return facts!
})

const diagnose = (...args: Array<string>) =>
  Effect.flatMap(TestDatabase, (database) =>
    Effect.promise(() => runCli(["diagnose", ...args], { env: { DATABASE_URL: database.url } })),
  )

const world = Layer.effect(Facts, knownState).pipe(
  Layer.provideMerge(Curation.Default),
  Layer.provideMerge(TestDatabaseLive),
)

it.layer(world, { timeout: 60_000 })("wf7 diagnose", (it) => {
  it.effect("--json: baseline, connections, 24 hours of throughput and the stuck page", () =>
    Effect.gen(function* () {
      const facts = yield* Facts
      const result = yield* diagnose("--json")
      expect(result.code).toBe(0)
      const report = JSON.parse(result.stdout)
      expect(report.baseline).toEqual({
        totalContacts: 4,
        latestContact: facts.latest.toISOString(),
        queuedPages: 2,
        pagesByStatus: [
          { status: "Complete", pages: 1 },
          { status: "Error", pages: 1 },
          { status: "Processing", pages: 2 },
          { status: "Queued", pages: 2 },
        ],
      })
      expect(report.throughput).toHaveLength(24)
      expect(report.throughput.filter((hour: any) => hour.contacts + hour.complete + hour.error > 0)).toEqual(
        [{ hour: facts.bucket.toISOString(), contacts: 3, complete: 1, error: 1 }],
      )
      expect(report.stuck.count).toBe(1)
      expect(report.stuck.pages).toMatchObject([
        { id: facts.stuckId, url: urls[4], owner: "dead-worker", attempts: 2 },
      ])
      expect(report.stuck.pages[0].overdueSeconds).toBeGreaterThanOrEqual(300)
      const { connections } = report
      expect(connections.maxConnections).toBe(facts.maxConnections)
      expect(connections.total).toBe(
        connections.byState.reduce((sum: number, row: any) => sum + row.connections, 0),
      )
      expect(connections.share).toBeCloseTo(connections.total / facts.maxConnections, 10)
      // The report's own query is an active wf7 connection to this database.
      expect(connections.byState.some((row: any) => row.state === "active" && row.wf7 >= 1)).toBe(true)
    }),
  )

  it.effect("credits: per page and per contact for the last hour and day, and today's spend", () =>
    Effect.gen(function* () {
      const json = yield* diagnose("credits", "--json")
      expect(JSON.parse(json.stdout).credits).toEqual({
        today: 12,
        last_hour: { credits: 0, pages: 0, contacts: 0, per_page: null, per_contact: null },
        last_24h: { credits: 12, pages: 2, contacts: 3, per_page: 6, per_contact: 4 },
      })
      const text = (yield* diagnose("credits")).stdout
      expect(text).toContain("ScraperAPI credits (pages finished in the window); spent today (UTC): 12")
      expect(text).toMatch(/^ {2}last 24 hours +12 +2 +3 +6 +4$/m)
      expect(text).toMatch(/^ {2}last hour +0 +0 +0 +- +-$/m)
    }),
  )

  it.effect("tables by default; one section when named; an unknown section is refused", () =>
    Effect.gen(function* () {
      const all = yield* diagnose()
      expect(all.code).toBe(0)
      expect(all.stdout).toMatch(/^ {2}total contacts {2}4$/m)
      expect(all.stdout).toMatch(/^ {2}queued pages {4}2$/m)
      expect(all.stdout).toMatch(/^ {2}Processing +2$/m)
      expect(all.stdout).toMatch(/max_connections in use \(\d+\.\d%\)$/m)
      const hour = `${(yield* Facts).bucket.toISOString().slice(0, 13).replace("T", " ")}:00Z`
      expect(all.stdout).toContain(`\n  ${hour}         3         1      1\n`)
      expect(all.stdout).toContain(`\n  total                     3         1      1\n`)
      expect(all.stdout).toContain("Stuck pages (Processing past their lease): 1")
      expect(all.stdout).toMatch(
        /^ {2}[0-9a-f-]{36} {2}https:\/\/diagnose\.example\.com\/stuck {2}dead-worker/m,
      )

      const stuck = yield* diagnose("stuck")
      expect(stuck.stdout.trim().split("\n")[0]).toBe("Stuck pages (Processing past their lease): 1")
      expect(stuck.stdout).not.toContain("Baseline")

      expect((yield* diagnose("everything")).code).not.toBe(0)
    }),
  )
})

it("warns above 80 % of max_connections", () => {
  const byState = (connections: number) => [{ state: "active", connections, thisDatabase: 0, wf7: 0 }]
  expect(connectionsOf(100, byState(80))).toMatchObject({ total: 80, share: 0.8, warning: false })
  expect(connectionsOf(100, byState(81))).toMatchObject({ total: 81, warning: true })
})
