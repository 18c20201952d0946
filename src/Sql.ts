import { Migrator, SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { SqlError } from "@effect/sql/SqlError"
import { Context, Data, Duration, Effect, Layer, Option, Redacted, Stream } from "effect"
import Pg from "pg"
import { DatabaseConfig } from "./Config.js"
import { embeddedPostgres } from "./EmbeddedPostgres.js"
import { migrations } from "./migrations/index.js"
import { pgPoolLayer } from "./DbPool.js"
import { unreachableReason } from "./SqlErrors.js"

/**
 * The database: `DATABASE_URL` when set, otherwise a real PostgreSQL embedded under `WF7_DATA_DIR`,
 * started for the life of the layer. The pool is small and bounded whatever the fetch concurrency.
 */

export type Connection =
  | { readonly url: NonNullable<PgClient.PgClientConfig["url"]> }
  | Pick<PgClient.PgClientConfig, "host" | "port" | "username" | "password" | "database">

const pgConnection = (connection: Connection) =>
  "url" in connection
    ? { connectionString: Redacted.value(connection.url) }
    : {
        host: connection.host,
        port: connection.port,
        user: connection.username,
        password: connection.password === undefined ? undefined : Redacted.value(connection.password),
        database: connection.database,
      }

/** The database did not answer: where it was looked for and the driver's reason, never the password. */
export class DatabaseUnreachable extends Data.TaggedError("DatabaseUnreachable")<{
  readonly host: string
  readonly port: number
  readonly database: string
  readonly reason: string
}> {
  override get message() {
    return `cannot reach the database ${this.database} at ${this.host}:${this.port}: ${this.reason}`
  }
}

const target = (connection: Connection) => {
  if (!("url" in connection)) {
    const { host = "localhost", port = 5432, database = "postgres" } = connection
    return { host, port, database }
  }
  const url = URL.canParse(Redacted.value(connection.url))
    ? new URL(Redacted.value(connection.url))
    : undefined
  return {
    host: url?.hostname || "localhost",
    port: Number(url?.port || 5432),
    database: url?.pathname.slice(1) || "postgres",
  }
}

const unreachable = (connection: Connection) => (error: SqlError) =>
  new DatabaseUnreachable({ ...target(connection), reason: unreachableReason(error) })

export const clientLayer = (
  connection: Connection,
  config: Pick<DatabaseConfig, "poolSize" | "connectTimeoutSeconds">,
) =>
  pgPoolLayer({
    pool: {
      ...pgConnection(connection),
      min: 0,
      connectionTimeoutMillis: config.connectTimeoutSeconds * 1000,
      idleTimeoutMillis: 30_000,
      application_name: "wf7",
    },
    max: config.poolSize,
    connectTimeout: Duration.seconds(config.connectTimeoutSeconds),
  }).pipe(Layer.mapError(unreachable(connection)))

export class DatabaseConnection extends Context.Tag("DatabaseConnection")<DatabaseConnection, Connection>() {}

// `share`: a command beside a running wf7 process uses its embedded server; the daemon wants its own.
const connectionLayer = (share: boolean) =>
  Layer.scoped(
    DatabaseConnection,
    Effect.gen(function* () {
      const config = yield* DatabaseConfig
      return Option.isSome(config.url)
        ? { url: config.url.value }
        : yield* embeddedPostgres({
            dataDir: config.dataDir,
            persistent: true,
            database: "wf7",
            detached: true,
            share,
          })
    }),
  )

const sqlLayer = (share: boolean) =>
  Layer.unwrapEffect(Effect.zipWith(DatabaseConnection, DatabaseConfig, clientLayer)).pipe(
    Layer.provideMerge(connectionLayer(share)),
  )

export const SqlLive = sqlLayer(true)

/** The API's own pool (`WF7_API_DB_POOL_SIZE`): curators never wait for the worker's connections. */
export const ApiSqlLive = Layer.unwrapEffect(
  Effect.zipWith(DatabaseConnection, DatabaseConfig, (connection, config) =>
    Layer.effect(SqlClient.SqlClient, SqlClient.SqlClient).pipe(
      Layer.provide(clientLayer(connection, { ...config, poolSize: config.apiPoolSize })),
    ),
  ),
)

/**
 * NOTIFYs on `channel`, on a connection of its own (LISTEN needs a session a transaction pooler
 * loses). The stream also emits once the LISTEN is in place, at start and after a reconnect: a NOTIFY
 * sent before then was missed, so its listener looks for what it would have said.
 */
export const listenOn = (connection: Connection, channel: string, connectTimeoutSeconds: number) =>
  Stream.asyncPush<void, SqlError>((emit) =>
    Effect.gen(function* () {
      const failed = (message: string) => (cause: unknown) => new SqlError({ cause, message })
      const client = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: async () => {
            const client = new Pg.Client({
              ...pgConnection(connection),
              connectionTimeoutMillis: connectTimeoutSeconds * 1000,
              application_name: "wf7-listen",
            })
            // Heard from the start: an 'error' event nobody listens to would end the process.
            client.on("error", (cause) => emit.fail(failed("LISTEN connection lost")(cause)))
            client.on("end", () => emit.fail(failed("LISTEN connection lost")("the server closed it")))
            client.on("notification", (notification) => {
              if (notification.channel === channel) emit.single(undefined)
            })
            await client.connect()
            return client
          },
          catch: failed("cannot connect to LISTEN"),
        }),
        (client) => Effect.promise(() => client.end()).pipe(Effect.timeoutOption(1000)),
      )
      yield* Effect.tryPromise({
        try: () => client.query(`LISTEN ${Pg.escapeIdentifier(channel)}`),
        catch: failed("LISTEN refused"),
      })
      emit.single(undefined)
    }),
  )

/** Applies the pending migrations; safe to run any number of times and from several processes. */
export const migrate = Migrator.make({})({ loader: Migrator.fromRecord(migrations) })

export const MigrationsLive = Layer.effectDiscard(migrate)

export const DatabaseLive = Layer.provideMerge(MigrationsLive, SqlLive)

/** The daemon's: a second daemon on the same embedded folder is refused. */
export const DaemonDatabaseLive = Layer.provideMerge(MigrationsLive, sqlLayer(false))
