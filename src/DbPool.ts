import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Context, Duration, Effect, Layer } from "effect"
import Pg from "pg"

/**
 * The Postgres pool, built here rather than inside @effect/sql-pg (whose own pool is out of reach)
 * so that its use can be read: open connections, idle ones, and callers waiting for one.
 */

interface PoolUsage {
  readonly total: number
  readonly idle: number
  readonly waiting: number
  readonly max: number
}

export class DbPool extends Context.Tag("DbPool")<DbPool, { readonly usage: Effect.Effect<PoolUsage> }>() {}

interface PoolSettings {
  readonly pool: Pg.PoolConfig
  readonly max: number
  readonly connectTimeout: Duration.Duration
}

const failedToConnect = (cause: unknown) => new SqlError({ cause, message: "PgClient: Failed to connect" })

const openPool = (settings: PoolSettings) =>
  Effect.gen(function* () {
    const pool = new Pg.Pool({ ...settings.pool, max: settings.max })
    // An idle connection's error (a server restart) surfaces again on its next use: not a crash here.
    pool.on("error", () => {})
    yield* Effect.addFinalizer(() =>
      Effect.promise(() => pool.end()).pipe(Effect.interruptible, Effect.timeoutOption(1000)),
    )
    yield* Effect.tryPromise({ try: () => pool.query("SELECT 1"), catch: failedToConnect }).pipe(
      Effect.timeoutFail({
        duration: settings.connectTimeout,
        onTimeout: () => failedToConnect(new Error("Connection timed out")),
      }),
    )
    return pool
  })

export const pgPoolLayer = (settings: PoolSettings) =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const pool = yield* openPool(settings)
      const client = yield* PgClient.fromPool({
        acquire: Effect.succeed(pool),
        applicationName: settings.pool.application_name,
      })
      const usage = Effect.sync(() => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: settings.max,
      }))
      return Context.make(PgClient.PgClient, client).pipe(
        Context.add(SqlClient.SqlClient, client),
        Context.add(DbPool, { usage }),
      )
    }),
  ).pipe(Layer.provide(Reactivity.layer))
