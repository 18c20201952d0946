import { SqlClient } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import { FetchGate } from "../../src/Fetch/FetchGate.js"
import { ScraperAccount, type AccountInfo } from "../../src/Fetch/ScraperAccount.js"
import { Fleet } from "../../src/Fleet/Fleet.js"
import { FleetSlots } from "../../src/Fleet/FleetSlots.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { Slots } from "../../src/Processing/Slots.js"
import { configFrom } from "./TestConfig.js"

/**
 * Nodes of one fleet in one process, on the test's database: each its own Fleet, slots and gate,
 * under an account limit of 30, WF7_NODE_TIMEOUT_SECONDS=15. The loop waits on the wall clock: tests
 * drive beats and turns (`beat`, `tick`) themselves, on the TestClock.
 */

export const LIMIT = 30

const nodeLayer = (account: Option.Option<AccountInfo>) =>
  FetchGate.Default.pipe(
    Layer.provideMerge(Fleet.Default),
    Layer.provideMerge(Layer.effect(FleetSlots, Slots)),
    Layer.provideMerge(Slots.Default),
    Layer.provide(PagesRepo.Default),
    Layer.provide(Layer.succeed(ScraperAccount, ScraperAccount.make({ info: Effect.succeed(account) }))),
    Layer.provide(
      configFrom({
        SCRAPER_API_ACCOUNT_CONCURRENCY: String(LIMIT),
        SCRAPER_API_MAX_CONCURRENT: "30",
        WF7_NODE_TIMEOUT_SECONDS: "15",
      }),
    ),
  )

/**
 * A node that joins the fleet now, with `claimed` pages wanting slots; it leaves with the test.
 * `/account` answers `account` (unreadable by default).
 */
export const join = (claimed: number, account: Option.Option<AccountInfo> = Option.none()) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(nodeLayer(account))
    const fleet = Effect.runSync(Effect.provide(Fleet, context))
    const throttle = Effect.runSync(Effect.provide(Slots, context))
    const gate = Effect.runSync(Effect.provide(FetchGate, context))
    yield* fleet.claimed(claimed)
    yield* fleet.beat
    return { fleet, throttle, gate, id: fleet.owner }
  })
export type Node = Effect.Effect.Success<ReturnType<typeof join>>

/** No node, no account limit, no pause: each test starts from an empty fleet. */
export const fresh = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql`TRUNCATE nodes`.pipe(
    Effect.zipRight(sql`
  UPDATE fleet SET account_limit = NULL, shared_limit = NULL, halved_at = NULL, paused_until = NULL,
    pause_reason = NULL, paused_by = NULL`),
  ),
)
