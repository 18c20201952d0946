import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { NodesRepo } from "../../src/Fleet/NodesRepo.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { fresh, join } from "../support/FleetNodes.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** The fleet's credits pause ends as a node's own does, and one left by a gone node binds no one. */

const REASON = "You have exhausted the API Credits"
const creditsBack = Option.some({ requestCount: 10, requestLimit: 1000 })
const creditsSpent = Option.some({ requestCount: 1000, requestLimit: 1000 })

const fleetPause = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    sql<{ until: Date | null; by: string | null }>`SELECT paused_until AS until, paused_by AS by FROM fleet`,
)

/** A node that pauses the fleet and exits: its row is gone, its pause stays in the fleet row. */
const pauseAndExit = Effect.scoped(Effect.flatMap(join(10), (node) => node.gate.pause(REASON)))

layer(Layer.mergeAll(PagesRepo.Default, NodesRepo.Default).pipe(Layer.provideMerge(TestDatabaseLive)), {
  timeout: 60_000,
})("Fleet credits pause", (it) => {
  it.scoped("the node that finds credits back when the pause is over ends it for the fleet", () =>
    Effect.gen(function* () {
      yield* fresh
      const a = yield* join(10, creditsBack)
      yield* a.gate.pause(REASON)
      expect(yield* fleetPause).toEqual([{ until: expect.any(Date), by: a.id }])
      yield* TestClock.adjust("900 seconds")
      expect((yield* a.gate.current).state).toBe("ok")
      expect(yield* fleetPause).toEqual([{ until: null, by: null }])
    }),
  )

  it.scoped("a pause left by a node that is gone does not stop a new node once /account has credits", () =>
    Effect.gen(function* () {
      yield* fresh
      yield* pauseAndExit
      const b = yield* join(10, creditsBack)
      expect((yield* b.gate.current).state).toBe("ok")
      expect(yield* fleetPause).toEqual([{ until: null, by: null }])
    }),
  )

  it.scoped("a pause left by a gone node still holds when /account says the credits are spent", () =>
    Effect.gen(function* () {
      yield* fresh
      yield* pauseAndExit
      const b = yield* join(10, creditsSpent)
      const state = yield* b.gate.current
      expect(state.state === "paused" && state.reason).toBe(REASON)
      // B now holds the pause: a later node obeys it without asking /account.
      expect((yield* fleetPause)[0]?.by).toBe(b.id)
      const c = yield* join(10, creditsBack)
      expect((yield* c.gate.current).state).toBe("paused")
    }),
  )
})
