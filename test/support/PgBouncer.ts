import { Context, Duration, Effect, Layer, Schedule } from "effect"
import { spawn, type ChildProcess } from "node:child_process"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { inject } from "vitest"
import { TestDatabase } from "./TestDatabase.js"

/**
 * A real PgBouncer (the Debian package; `npm test` installs it) in pool_mode=transaction in front of
 * the test file's database, on a free port, stopped with the layer's scope.
 */
export class PgBouncer extends Context.Tag("test/PgBouncer")<
  PgBouncer,
  {
    /** The test database's DATABASE_URL through the pooler. */
    readonly url: string
    /** Everything PgBouncer printed: its log. */
    readonly log: () => string
  }
>() {}

/** Server sessions per database and user: fewer than the clients, as a transaction pooler is used. */
export const SERVER_POOL_SIZE = 4

const binary = async () => {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin"]) {
    const candidate = path.join(dir, "pgbouncer")
    if (
      await fs.access(candidate, fs.constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate
  }
  throw new Error("pgbouncer is not installed: `npm test` installs it (bash scripts/system-packages.sh)")
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

const settings = (dir: string, port: number, server: { host: string; port: number }) => `
[databases]
* = host=${server.host} port=${server.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${path.join(dir, "users.txt")}
pool_mode = transaction
default_pool_size = ${SERVER_POOL_SIZE}
max_client_conn = 500
`

/** Writes the configuration in a temporary folder PgBouncer can read once it has dropped root. */
const configure = async (port: number) => {
  const { host, port: serverPort, password } = inject("postgres")
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-pgbouncer-"))
  await fs.chmod(dir, 0o755)
  await fs.writeFile(path.join(dir, "users.txt"), `"postgres" "${password}"\n`, { mode: 0o644 })
  await fs.writeFile(path.join(dir, "pgbouncer.ini"), settings(dir, port, { host, port: serverPort }), {
    mode: 0o644,
  })
  return { dir, password }
}

const accepts = (port: number) =>
  Effect.async<void, Error>((resume) => {
    const socket = net.connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.void)
    })
    socket.once("error", (error) => resume(Effect.fail(error)))
  })

const stop = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    // SIGINT: PgBouncer's immediate shutdown.
    child.kill("SIGINT")
  })

export const PgBouncerLive = Layer.scoped(
  PgBouncer,
  Effect.gen(function* () {
    const database = yield* TestDatabase
    const port = yield* Effect.promise(freePort)
    const { dir, password } = yield* Effect.acquireRelease(
      Effect.promise(() => configure(port)),
      ({ dir }) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true })),
    )
    const command = yield* Effect.promise(binary)
    // PgBouncer refuses to run as root: it then runs as the postgres user the embedded server runs as.
    const asRoot = process.getuid?.() === 0 ? ["-u", "postgres"] : []
    let log = ""
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const child = spawn(command, [...asRoot, path.join(dir, "pgbouncer.ini")], { stdio: "pipe" })
        child.stdout.on("data", (chunk) => (log += chunk))
        child.stderr.on("data", (chunk) => (log += chunk))
        return child
      }),
      stop,
    )
    yield* accepts(port).pipe(
      Effect.retry({ schedule: Schedule.spaced(Duration.millis(50)), times: 100 }),
      Effect.orElse(() => Effect.dieMessage(`pgbouncer did not start (exit ${child.exitCode}):\n${log}`)),
    )
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database.name}`,
      log: () => log,
    }
  }),
)
