import { Migrator } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Option } from "effect"
import { DatabaseConfig } from "./Config.js"
import { embeddedPostgres } from "./EmbeddedPostgres.js"
import { migrations } from "./migrations/index.js"

/**
 * The database: `DATABASE_URL` when set, otherwise a real PostgreSQL embedded under `WF7_DATA_DIR`,
 * started for the life of the layer. The pool is small and bounded whatever the fetch concurrency.
 */

export type Connection =
  | { readonly url: NonNullable<PgClient.PgClientConfig["url"]> }
  | Pick<PgClient.PgClientConfig, "host" | "port" | "username" | "password" | "database">

export const clientLayer = (
  connection: Connection,
  config: Pick<DatabaseConfig, "poolSize" | "connectTimeoutSeconds">,
) =>
  PgClient.layer({
    ...connection,
    maxConnections: config.poolSize,
    minConnections: 0,
    connectTimeout: Duration.seconds(config.connectTimeoutSeconds),
    idleTimeout: Duration.seconds(30),
    applicationName: "wf7",
  })

export const SqlLive = Layer.unwrapScoped(
  Effect.gen(function* () {
    const config = yield* DatabaseConfig
    const connection: Connection = Option.isSome(config.url)
      ? { url: config.url.value }
      : yield* embeddedPostgres({ dataDir: config.dataDir, persistent: true, database: "wf7" })
    return clientLayer(connection, config)
  }),
)

/** Applies the pending migrations; safe to run any number of times and from several processes. */
export const migrate = Migrator.make({})({ loader: Migrator.fromRecord(migrations) })

export const MigrationsLive = Layer.effectDiscard(migrate)

/** The database, migrated: what every command that touches data runs on. */
export const DatabaseLive = Layer.provideMerge(MigrationsLive, SqlLive)
