import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Logger } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { PageSaves } from "../../src/Pages/PageSaves.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { Engine } from "../../src/Processing/Engine.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { configFrom } from "../support/TestConfig.js"
import { FreshTables, TestDatabaseLive } from "../support/TestDatabase.js"
import { contactPage, ScriptedFetches, scriptedFetcher, type Script } from "../support/ScriptedFetcher.js"

/**
 * Pages that used to stall processing forever: one with more contacts than one INSERT can carry,
 * one whose save the database refuses. Each must end, and the pages beside it must complete. A
 * statement refused once must not stop the engine's own upkeep either.
 */

const world = (script: Script, env: Record<string, string> = {}) => {
  const fetcher = scriptedFetcher(script)
  return Layer.merge(engineWith(fetcher), fetcher).pipe(
    Layer.provideMerge(Curation.Default),
    Layer.provideMerge(
      configFrom({ WF7_POLL_INTERVAL_SECONDS: "0.05", WF7_RETRY_BASE_SECONDS: "0.01", ...env }),
    ),
    Layer.provide(FreshTables),
  )
}

const BIG = "https://big.example.com/contact"
const REFUSED = "https://refused.example.com/contact"
const SLOW = "https://slow.example.com/contact"
const beside = ["https://shop.example.com/a", "https://shop.example.com/b"]

/** 12,000 distinct addresses: 84,000 parameters as one multi-row INSERT (Postgres takes 65,535). */
const bigPage = `<html><body>${Array.from(
  { length: 12_000 },
  (_, i) => `<a href="mailto:staff${i}@big.example.com">staff${i}@big.example.com</a>`,
).join("\n")}</body></html>`

const script: Script = (url) =>
  Effect.succeed(
    url === BIG
      ? bigPage
      : url === REFUSED
        ? `<a href="mailto:info@refused.example.com">mail</a>`
        : contactPage(url),
  )

const queue = (urls: ReadonlyArray<string>) =>
  Effect.flatMap(Curation, (curation) => curation.importUrls(urls, { select: true }))

const pages = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{
    url: string
    status: string
    error: string | null
    found: number | null
    dropped: number | null
    stored: number
  }>`
    SELECT url, page_processing_status AS status, page_processing_error AS error, contact_count AS found,
           contacts_dropped AS dropped,
           (SELECT count(*)::int FROM contacts c WHERE c.page_id = p.id) AS stored
    FROM pages p ORDER BY url`
})

/** Runs the engine until the queue is empty, keeping its WARN lines. */
const runCollectingWarnings = Effect.gen(function* () {
  const warnings: Array<{ message: unknown; annotations: Record<string, unknown> }> = []
  const collect = Logger.make(({ logLevel, message, annotations }) => {
    if (logLevel._tag === "Warning") warnings.push({ message, annotations: Object.fromEntries(annotations) })
  })
  yield* (yield* Engine).run(true).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, collect)))
  return warnings
})

const completeBeside = (found: number) =>
  beside.map((url) => expect.objectContaining({ url, status: "Complete", found, dropped: 0 }))

// The live clock: a lease expires by Postgres's now(), which TestClock cannot move.
layer(TestDatabaseLive, { excludeTestServices: true })("poison pages", (it) => {
  it.effect(
    "a page with 12,000 contacts ends Complete with WF7_MAX_CONTACTS_PER_PAGE stored and the rest counted",
    () =>
      Effect.gen(function* () {
        yield* queue([beside[0]!, BIG, beside[1]!])
        const warnings = yield* runCollectingWarnings
        expect(yield* pages).toEqual([
          { url: BIG, status: "Complete", error: null, found: 2000, dropped: 10_000, stored: 2000 },
          ...completeBeside(2),
        ])
        expect(warnings).toContainEqual({
          message: ["page has more contacts than WF7_MAX_CONTACTS_PER_PAGE; the rest are not stored"],
          annotations: expect.objectContaining({ url: BIG, max: 2000, dropped: 10_000 }),
        })
      }).pipe(Effect.provide(world(script))),
    60_000,
  )

  it.effect(
    "with the cap raised, all 12,000 go in: one array per column, not one parameter per value",
    () =>
      Effect.gen(function* () {
        yield* queue([BIG, ...beside])
        yield* (yield* Engine).run(true)
        expect(yield* pages).toEqual([
          { url: BIG, status: "Complete", error: null, found: 12_000, dropped: 0, stored: 12_000 },
          ...completeBeside(2),
        ])
      }).pipe(Effect.provide(world(script, { WF7_MAX_CONTACTS_PER_PAGE: "20000" }))),
    60_000,
  )

  it.effect("a save the database refuses fails the page with the database's message, once", () =>
    Effect.gen(function* () {
      yield* refuseContactsOf("refused.example.com")
      yield* queue([REFUSED, ...beside])
      yield* (yield* Engine).run(true)
      expect(yield* pages).toEqual([
        {
          url: REFUSED,
          status: "Error",
          error: "SqlError: refused.example.com is not accepted (P0001)",
          found: null,
          dropped: null,
          stored: 0,
        },
        ...completeBeside(2),
      ])
      const { calls } = yield* (yield* ScriptedFetches).log
      expect(calls.get(REFUSED)).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(world(script))),
  )

  it.effect(
    "when even its Error cannot be written, the page's lease returns it until its attempts are spent",
    () =>
      Effect.gen(function* () {
        yield* refuseContactsOf("refused.example.com")
        yield* trigger(
          "refuse_sql_errors",
          "BEFORE UPDATE ON pages",
          `IF NEW.page_processing_error LIKE 'SqlError:%' THEN RAISE EXCEPTION 'errors are read-only'; END IF;`,
        )
        yield* queue([REFUSED, ...beside])
        yield* (yield* Engine).run(true)
        const [refused] = yield* pages
        expect(refused).toMatchObject({
          url: REFUSED,
          status: "Error",
          error: expect.stringMatching(/^LeaseExpired: /),
        })
        const { calls } = yield* (yield* ScriptedFetches).log
        expect(calls.get(REFUSED)).toBe(2)
      }).pipe(
        Effect.scoped,
        Effect.provide(world(script, { WF7_LEASE_SECONDS: "1", WF7_RETRY_ATTEMPTS: "2" })),
      ),
  )

  it.effect("a lease renewal the database refuses once does not end the renewals", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // A sequence, not a row: the refusal rolls back everything but nextval.
      yield* Effect.acquireRelease(sql`CREATE SEQUENCE renewals`, () =>
        Effect.orDie(sql`DROP SEQUENCE renewals`),
      )
      yield* trigger(
        "refuse_first_renewal",
        "BEFORE UPDATE ON pages",
        `IF OLD.page_processing_status = 'Processing' AND NEW.page_processing_status = 'Processing'
           AND nextval('renewals') = 1 THEN RAISE EXCEPTION 'renewal refused'; END IF;`,
      )
      yield* queue([SLOW])
      // The second worker rescues the page should the first stop renewing its lease.
      const [first, second] = yield* Effect.all([makeEngine, makeEngine])
      yield* Effect.all([first.run(true), second.run(true)], { concurrency: 2 })
      expect(yield* pages).toEqual([expect.objectContaining({ url: SLOW, status: "Complete" })])
      const { calls } = yield* (yield* ScriptedFetches).log
      expect(calls.get(SLOW)).toBe(1)
    }).pipe(
      Effect.scoped,
      Effect.provide(
        world((url) => Effect.as(Effect.sleep(Duration.millis(3500)), contactPage(url)), {
          WF7_LEASE_SECONDS: "1",
        }),
      ),
    ),
  )

  it.effect("NUL bytes in contact and profile text are stripped, not refused", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const repo = yield* PagesRepo
      yield* queue(["https://nul.example.com/contact"])
      const [page] = yield* repo.claim("worker", 1, 60)
      if (page === undefined) return expect.fail("the page was not claimed")
      yield* (yield* PageSaves).save([
        {
          page,
          spend: { credits: 0, fetchedWith: "direct", reason: "direct" },
          result: {
            _tag: "Complete",
            extraction: {
              emails: [{ value: "info@nul\u0000.example.com", type: "CORPORATE", source: "text" }],
              phones: [{ value: "+1415\u00005550100", type: "BUSINESS", source: "tel" }],
              socials: [{ platform: "x", url: "https://x.com/nul\u0000shop", handle: "nul\u0000shop" }],
            },
            dropped: 0,
          },
        },
      ])
      expect(yield* sql`SELECT email, phone FROM contacts ORDER BY email NULLS LAST`).toEqual([
        { email: "info@nul.example.com", phone: null },
        { email: null, phone: "+14155550100" },
      ])
      expect(yield* sql`SELECT url, handle FROM social_profiles`).toEqual([
        { url: "https://x.com/nulshop", handle: "nulshop" },
      ])
    }).pipe(Effect.provide(world(script))),
  )
})

/** A second engine (its own owner and loop) over the same database, fetcher and config. */
const makeEngine = Effect.flatMap(Layer.build(Engine.Default), (context) => Effect.provide(Engine, context))

/** A row trigger running `check` `when`, for one test: dropped with its function when the test ends. */
const trigger = (name: string, when: string, check: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.acquireRelease(
      Effect.zipRight(
        sql.unsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN ${check} RETURN NEW; END $$`),
        sql.unsafe(`CREATE TRIGGER ${name} ${when} FOR EACH ROW EXECUTE FUNCTION ${name}()`),
      ),
      () => Effect.orDie(sql.unsafe(`DROP FUNCTION ${name}() CASCADE`)),
    ),
  )

/** A real refusal from Postgres: a trigger that raises on any contact of the given domain. */
const refuseContactsOf = (domain: string) =>
  trigger(
    "refuse_contact",
    "BEFORE INSERT ON contacts",
    `IF NEW.email LIKE '%@${domain}' THEN RAISE EXCEPTION '${domain} is not accepted'; END IF;`,
  )
