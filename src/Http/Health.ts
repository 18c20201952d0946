import { HttpApiBuilder, HttpMiddleware } from "@effect/platform"
import { Migrator, SqlClient } from "@effect/sql"
import { Duration, Effect, Schema } from "effect"
import { migrations } from "../migrations/index.js"
import { decodeRow, decodeRows } from "../Pages/Rows.js"
import { Api } from "./Api.js"
import { NotReady } from "./Errors.js"

/** /healthz: the process answers; /readyz: the database answers and this build's migrations are applied. */

const READY_TIMEOUT = Duration.seconds(5)

export const HealthLive = HttpApiBuilder.group(Api, "health", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const shipped = yield* Effect.orDie(Migrator.fromRecord(migrations))

    const appliedIds = Effect.gen(function* () {
      const table = yield* decodeRow(
        Schema.Struct({ present: Schema.Boolean }),
        sql`SELECT to_regclass('effect_sql_migrations') IS NOT NULL AS present`,
      )
      if (!table.present) return new Set<number>()
      const rows = yield* decodeRows(
        Schema.Struct({ id: Schema.Int }),
        sql`SELECT migration_id AS id FROM effect_sql_migrations`,
      )
      return new Set(rows.map((row) => row.id))
    })

    const readiness = appliedIds.pipe(
      Effect.timeoutFail({
        duration: READY_TIMEOUT,
        onTimeout: () => new NotReady({ message: "The database did not answer in time" }),
      }),
      Effect.catchTag("SqlError", (error) =>
        Effect.logWarning("Readiness check: database unreachable", error).pipe(
          Effect.zipRight(Effect.fail(new NotReady({ message: "The database is unreachable" }))),
        ),
      ),
      Effect.flatMap((applied) => {
        const pending = shipped.filter(([id]) => !applied.has(id)).map(([id, name]) => `${id}_${name}`)
        return pending.length === 0
          ? Effect.succeed({ status: "ready" as const, migrations: shipped.length })
          : Effect.fail(new NotReady({ message: `Migrations pending: ${pending.join(", ")}` }))
      }),
      Effect.annotateLogs({ service: "Http/Health" }),
    )

    // Probes come every few seconds: no access log line for them (a failed readiness check logs itself).
    return handlers
      .handle("healthz", () => HttpMiddleware.withLoggerDisabled(Effect.succeed({ status: "ok" as const })))
      .handle("readyz", () => HttpMiddleware.withLoggerDisabled(readiness))
  }),
)
