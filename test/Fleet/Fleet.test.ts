import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Clock, Deferred, Effect, Fiber, Layer, Schema, TestClock } from "effect"
import { NodesRepo } from "../../src/Fleet/NodesRepo.js"
import { Curation } from "../../src/Pages/Curation.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { fresh, join, LIMIT, type Node } from "../support/FleetNodes.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** Several nodes of one fleet in one process, on one database (test/support/FleetNodes.ts). */

/** Takes up to `count` slots of the node's throttle (as many as its limit lets) and holds them. */
const hold = (node: Node, count: number) =>
  Effect.gen(function* () {
    const release = yield* Deferred.make<void>()
    const fibers = yield* Effect.forEach(Array.from({ length: count }), () =>
      Effect.fork(node.throttle.withSlot(() => Deferred.await(release))),
    )
    yield* Effect.yieldNow()
    return Effect.zipRight(Deferred.succeed(release, undefined), Fiber.interruptAll(fibers))
  })

const Row = Schema.Struct({
  id: Schema.String,
  share: Schema.NullOr(Schema.Number),
  slots_held: Schema.Number,
})

const shares = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`SELECT id, share, slots_held FROM nodes`.pipe(
    Effect.flatMap(Schema.decodeUnknown(Schema.Array(Row))),
  )
  return new Map(rows.map((row) => [row.id, row.share]))
})

const shareOf = (node: Node) => Effect.map(shares, (all) => all.get(node.id))

/** The slots the nodes actually hold never pass the account limit, nor do the grants the others can see. */
const checkLimit = (nodes: ReadonlyArray<Node>) =>
  Effect.gen(function* () {
    const states = yield* Effect.forEach(new Set(nodes), (node) => node.throttle.current)
    expect(states.reduce((sum, state) => sum + state.inUse, 0)).toBeLessThanOrEqual(LIMIT)
    expect(states.reduce((sum, state) => sum + state.limit, 0)).toBeLessThanOrEqual(LIMIT)
  })

const fleetLimit = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ limit: number }>`SELECT shared_limit AS limit FROM fleet`.pipe(Effect.map(([row]) => row?.limit)),
)

const idleReport = (id: string) => ({
  id,
  slotsHeld: 0,
  share: null,
  effectiveConcurrency: 0,
  inFlight: 0,
  demand: 0,
  pausedUntil: null,
  pauseReason: null,
})

const beatAll = (nodes: ReadonlyArray<Node>) =>
  Effect.gen(function* () {
    for (const node of nodes) {
      yield* node.fleet.beat
      yield* checkLimit(nodes)
    }
  })

layer(
  Layer.mergeAll(Curation.Default, PagesRepo.Default, NodesRepo.Default).pipe(
    Layer.provideMerge(TestDatabaseLive),
  ),
  { timeout: 60_000 },
)("Fleet on one Postgres", (it) => {
  it.scoped("a joining node gets its fair share only as the others let go of their slots", () =>
    Effect.gen(function* () {
      yield* fresh
      const a = yield* join(100)
      expect(yield* shareOf(a)).toBe(30)
      const releaseA = yield* hold(a, 30)
      const b = yield* join(100)
      // A still holds 30 slots: B may not raise yet, whatever its fair share.
      expect(yield* shareOf(b)).toBe(0)
      yield* beatAll([a, b])
      expect(yield* shareOf(a)).toBe(15)
      expect((yield* a.throttle.current).limit).toBe(15)
      expect(yield* shareOf(b)).toBe(0)
      yield* releaseA
      yield* beatAll([a, b, a, b])
      expect([yield* shareOf(a), yield* shareOf(b)]).toEqual([15, 15])
      const releaseB = yield* hold(b, 30)
      expect((yield* b.throttle.current).inUse).toBe(15)
      yield* releaseB
    }),
  )

  it.scoped("a dead node's share and pages go to the others within the timeout and one heartbeat", () =>
    Effect.gen(function* () {
      yield* fresh
      const sql = yield* SqlClient.SqlClient
      // Another process's node: it registered, took its share and a page, then stopped beating.
      const repo = yield* NodesRepo
      const dead = { id: "other-host:4242:deadbeef", host: "other-host", pid: 4242, version: "0.1.0" }
      yield* repo.register(dead, new Date(0))
      yield* repo.report({ ...idleReport(dead.id), share: 10, slotsHeld: 10, demand: 30 }, new Date(0))
      yield* (yield* Curation).importUrls(["https://dead.example.com/contact"], { select: true })
      expect(yield* (yield* PagesRepo).claim(dead.id, 1, 3600)).toHaveLength(1)
      const a = yield* join(100)
      const b = yield* join(100)
      yield* beatAll([a, b])
      expect([yield* shareOf(a), yield* shareOf(b)]).toEqual([10, 10])
      for (const seconds of [5, 10, 15]) {
        yield* TestClock.adjust("5 seconds")
        yield* beatAll([a, b])
        // Within its timeout, its share stays counted and its page stays leased.
        expect([yield* shareOf(a), yield* shareOf(b)], `at ${seconds}s`).toEqual([10, 10])
      }
      yield* TestClock.adjust("5 seconds")
      yield* beatAll([a, b, a, b])
      expect([yield* shareOf(a), yield* shareOf(b)]).toEqual([15, 15])
      const pages = yield* sql<{ status: string; owner: string | null; attempts: number }>`
          SELECT page_processing_status AS status, lease_owner AS owner, processing_attempts AS attempts FROM pages`
      expect(pages).toEqual([{ status: "Queued", owner: null, attempts: 1 }])
    }),
  )

  it.scoped("a node with nothing to do gives its share back; one wanting little takes little", () =>
    Effect.gen(function* () {
      yield* fresh
      const a = yield* join(100)
      const b = yield* join(100)
      yield* beatAll([a, b, a, b])
      expect([yield* shareOf(a), yield* shareOf(b)]).toEqual([15, 15])
      yield* b.fleet.claimed(0)
      // Its next heartbeat still counts the pages it held since the last one; the one after, none.
      yield* beatAll([b, b, a])
      expect([yield* shareOf(a), yield* shareOf(b)]).toEqual([30, 0])
      yield* b.fleet.claimed(4)
      yield* beatAll([b, a, b, a])
      // Four pages and no slot: B first asks for its whole limit; holding a share, it keeps what four
      // pages need, and A takes the rest back.
      expect([yield* shareOf(a), yield* shareOf(b)]).toEqual([26, 4])
    }),
  )

  it.scoped("a 429 on one node halves the fleet's limit once per window, and every node follows", () =>
    Effect.gen(function* () {
      yield* fresh
      const a = yield* join(100)
      const b = yield* join(100)
      yield* beatAll([a, b, a, b])
      yield* a.fleet.rateLimited
      yield* b.fleet.rateLimited
      yield* a.fleet.rateLimited
      yield* beatAll([a, b])
      expect([yield* shareOf(a), yield* shareOf(b)].sort()).toEqual([7, 8])
      expect(yield* fleetLimit).toBe(15)
      // The next window: one more halving (the beats on the way may have added a slot or two).
      yield* TestClock.adjust("5 seconds")
      yield* beatAll([a, b])
      const before = yield* fleetLimit
      yield* b.fleet.rateLimited
      yield* a.fleet.rateLimited
      yield* beatAll([a, b])
      const halved = Math.floor((before ?? 0) / 2)
      expect(yield* fleetLimit).toBe(halved)
      expect((yield* a.throttle.current).limit + (yield* b.throttle.current).limit).toBeLessThanOrEqual(
        halved,
      )
      // A window without 429: each beat of a node wanting more adds one slot.
      yield* TestClock.adjust("5 seconds")
      yield* beatAll([a, b])
      expect(yield* fleetLimit).toBeGreaterThan(halved)
    }),
  )

  it.scoped("a 403 on one node pauses fetching on every node at its next heartbeat", () =>
    Effect.gen(function* () {
      yield* fresh
      const a = yield* join(100)
      const b = yield* join(100)
      const now = yield* Clock.currentTimeMillis
      yield* a.gate.pause("You have exhausted the API Credits")
      expect((yield* b.gate.current).state).toBe("ok")
      yield* b.fleet.beat
      const paused = yield* b.gate.current
      expect(paused.state === "paused" && paused.reason).toBe("You have exhausted the API Credits")
      expect(paused.state === "paused" && paused.until.getTime()).toBe(now + 900_000)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{
        reason: string | null
      }>`SELECT pause_reason AS reason FROM nodes WHERE id = ${b.id}`
      expect(rows).toEqual([{ reason: "You have exhausted the API Credits" }])
    }),
  )

  it.scoped("a node that cannot reach the database for the timeout takes no slot (self-fencing)", () =>
    Effect.gen(function* () {
      yield* fresh
      const sql = yield* SqlClient.SqlClient
      const a = yield* join(100)
      expect((yield* a.throttle.current).limit).toBe(30)
      const unlock = yield* Deferred.make<void>()
      const locked = yield* Deferred.make<void>()
      // Another session holds the fleet's row: every heartbeat of A waits behind it.
      const blocker = yield* sql
        .withTransaction(
          sql`LOCK TABLE fleet IN ACCESS EXCLUSIVE MODE`.pipe(
            Effect.zipRight(Deferred.succeed(locked, undefined)),
            Effect.zipRight(Deferred.await(unlock)),
          ),
        )
        .pipe(Effect.fork)
      yield* Deferred.await(locked)
      // The loop's turns, on the TestClock: a beat gives up after an interval, then the fence is checked.
      const turn = Effect.gen(function* () {
        const tick = yield* Effect.fork(a.fleet.tick)
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(tick)
      })
      yield* turn
      expect((yield* a.throttle.current).limit).toBe(30)
      yield* TestClock.adjust("5 seconds")
      yield* turn
      // The timeout without a heartbeat: the fence is up by the time the others may count A dead.
      expect((yield* a.throttle.current).limit).toBe(0)
      yield* Deferred.succeed(unlock, undefined)
      yield* Fiber.join(blocker)
      yield* a.fleet.beat
      expect((yield* a.throttle.current).limit).toBe(30)
    }),
  )
})
