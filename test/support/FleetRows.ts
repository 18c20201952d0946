import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { NodesRepo } from "../../src/Fleet/NodesRepo.js"

/** Two nodes as other processes left them: one beating now with a share of 12, one silent for 10 minutes. */
export const seedNodes = Effect.gen(function* () {
  const repo = yield* NodesRepo
  const sql = yield* SqlClient.SqlClient
  const now = new Date()
  const before = new Date(now.getTime() - 600_000)
  const report = {
    slotsHeld: 5,
    effectiveConcurrency: 12,
    inFlight: 7,
    demand: 12,
    pausedUntil: null,
    pauseReason: null,
  }
  yield* repo.register({ id: "alive-host:101:aaaa1111", host: "alive-host", pid: 101, version: "0.1.0" }, now)
  yield* repo.report({ ...report, id: "alive-host:101:aaaa1111", share: 12 }, now)
  yield* repo.register(
    { id: "dead-host:202:bbbb2222", host: "dead-host", pid: 202, version: "0.1.0" },
    before,
  )
  yield* repo.report({ ...report, id: "dead-host:202:bbbb2222", share: 18 }, before)
  yield* sql`UPDATE fleet SET account_limit = 30, shared_limit = 30`
})
