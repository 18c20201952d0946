import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlSchema } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Cause, Duration, Effect, Option, Schema } from "effect"
import { DatabaseConfig, type PoolerMode } from "./Config.js"
import { DatabaseConnection, type Connection } from "./Sql.js"
import { describeSqlError } from "./SqlErrors.js"

/**
 * What sits between wf7 and Postgres. A transaction pooler (PgBouncer in transaction mode, Supavisor on
 * 6543) lends each transaction any free session, so nothing session-bound survives, LISTEN above all; wf7
 * prepares no named statements, sets no session state and locks only inside transactions.
 */

export interface Pooler {
  readonly mode: PoolerMode
  readonly reason: string
}

const BackendPid = Schema.Struct({ pid: Schema.Number })

const failureOf = (cause: Cause.Cause<unknown>) => {
  const error = Cause.squash(cause)
  return error instanceof SqlError ? describeSqlError(error) : String(error)
}

const clientSession = (connection: Connection, connectTimeout: Duration.Duration) =>
  Effect.map(
    PgClient.make({ ...connection, maxConnections: 1, connectTimeout, applicationName: "wf7" }),
    (sql) =>
      SqlSchema.single({
        Request: Schema.Void,
        Result: BackendPid,
        execute: () => sql`SELECT pg_backend_pid() AS pid`,
      })(undefined).pipe(Effect.map((row) => row.pid)),
  )

// Other clients of a busy pooler may take the freed session in between: a few rounds make a sighting sure.
const ROUNDS = 5

// Two connections take turns asking their server's pid: a pid both see, or several for one, is a pooler.
export const detectPooler = (connection: Connection, connectTimeout: Duration.Duration) =>
  Effect.gen(function* () {
    const [first, second] = yield* Effect.all([
      clientSession(connection, connectTimeout),
      clientSession(connection, connectTimeout),
    ])
    const turns = yield* Effect.replicateEffect(Effect.all([first, second]), ROUNDS)
    const firsts = new Set(turns.map(([pid]) => pid))
    const seconds = new Set(turns.map(([, pid]) => pid))
    const shared = [...firsts].find((pid) => seconds.has(pid))
    if (shared !== undefined) {
      return {
        mode: "transaction",
        reason: `detected: two client connections ran on one server session (pid ${shared})`,
      } satisfies Pooler
    }
    const moved = Math.max(firsts.size, seconds.size)
    if (moved > 1) {
      return {
        mode: "transaction",
        reason: `detected: one client connection ran on ${moved} server sessions`,
      } satisfies Pooler
    }
    return {
      mode: "none",
      reason: "detected: each client connection kept its own server session",
    } satisfies Pooler
  }).pipe(
    Effect.scoped,
    Effect.provide(Reactivity.layer),
    // Each step is bounded by the connect timeout; a server that never answers is bounded here.
    Effect.timeout(Duration.times(connectTimeout, 3)),
    // Polling works behind any pooler and LISTEN does not: when in doubt, the safe mode.
    Effect.catchAllCause((cause) =>
      Effect.succeed<Pooler>({
        mode: "transaction",
        reason: `the check failed (${failureOf(cause)}), so assumed`,
      }),
    ),
    Effect.withSpan("Pooler.detect"),
  )

/** The pooler mode: WF7_DB_POOLER, else none for the embedded server, else detected; logged once. */
export const databasePooler = Effect.gen(function* () {
  const config = yield* DatabaseConfig
  const connection = yield* DatabaseConnection
  const pooler: Pooler = Option.isSome(config.pooler)
    ? { mode: config.pooler.value, reason: "set by WF7_DB_POOLER" }
    : Option.isNone(config.url)
      ? { mode: "none", reason: "the embedded Postgres, no pooler" }
      : yield* detectPooler(connection, Duration.seconds(config.connectTimeoutSeconds))
  yield* Effect.logInfo(`database pooler mode: ${pooler.mode} (${pooler.reason})`)
  return pooler
})
