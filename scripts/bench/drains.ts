import { Duration, Effect, Fiber, Redacted, Schedule } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import pg from "pg"
import { embeddedPostgres, temporaryDirectory, type EmbeddedConnection } from "../../src/EmbeddedPostgres.js"
import { cpuSeconds, peakRssMb } from "./procfs.js"
import { inFlightOf, mainJs, type RemoteSandbox } from "./sandboxProcess.js"

/**
 * One measured run as a user makes it: `wf7 enqueue --select` the pages, then `wf7 drain` (one or
 * several at once, each a real process) on a fresh database of the bench's embedded Postgres, over
 * the simulator in its own process. Throughput counts the completions between 10 % and 90 % of the
 * pages, the steady state between the ramp-up and the tail; CPU is counted over the same window.
 */

const SAMPLE_MS = 200
const OUTPUT_KEPT = 4000

export interface DrainsRun {
  readonly pages: number
  readonly complete: number
  readonly seconds: number
  readonly pagesPerSecond: number
  readonly inFlightMin: number
  readonly inFlightP50: number
  readonly peakInFlight: number
  /** Requests the simulator refused with 429 (beyond its concurrency limit). */
  readonly rateLimited: number
  /** The largest of the drains' peaks. */
  readonly peakRssMb: number
  /** All drains' CPU in the window, per 1000 pages completed in it. */
  readonly cpuSecondsPer1000: number
  readonly maxDbConnections: number
  /** The mean of the latencies the simulator drew for the run's requests. */
  readonly meanLatencyMs: number
}

const quantile = (values: ReadonlyArray<number>, q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0
}

/** The value of a series sampled over time at `at`, linearly between its neighbours. */
const valueAt = (series: ReadonlyArray<readonly [number, number]>, at: number) => {
  const after = series.findIndex(([time]) => time >= at)
  if (after <= 0) return series[after === 0 ? 0 : series.length - 1]?.[1] ?? 0
  const [t0, v0] = series[after - 1]!
  const [t1, v1] = series[after]!
  return v0 + ((v1 - v0) * (at - t0)) / Math.max(1, t1 - t0)
}

const urlOf = (server: EmbeddedConnection, database: string) =>
  `postgres://${server.username}:${encodeURIComponent(Redacted.value(server.password))}@${server.host}:${server.port}/${database}`

/** A wf7 command to its end; the tail of its output names the failure when it exits non-zero. */
const wf7 = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  onStart: (pid: number) => void = () => {},
  nodeArgs: ReadonlyArray<string> = [],
) =>
  Effect.async<void, Error>((resume) => {
    const child = spawn(process.execPath, [...nodeArgs, mainJs, ...args], {
      env: { PATH: process.env.PATH ?? "", WF7_LOG_FORMAT: "json", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    if (child.pid !== undefined) onStart(child.pid)
    let output = ""
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT))
    child.stdout.on("data", keep)
    child.stderr.on("data", keep)
    child.on("close", (code) =>
      resume(code === 0 ? Effect.void : Effect.fail(new Error(`wf7 ${args[0]} exited ${code}: ${output}`))),
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** A scratch folder and the embedded Postgres in it, for the scope of a section: one database per run. */
export const benchServer = (prefix: string) =>
  Effect.gen(function* () {
    const dir = yield* temporaryDirectory(prefix)
    const server = yield* embeddedPostgres({
      dataDir: path.join(dir, "data"),
      persistent: false,
      database: "postgres",
    })
    return { dir, server }
  })

export const runDrains = (options: {
  readonly server: EmbeddedConnection
  readonly dir: string
  readonly database: string
  readonly sandbox: RemoteSandbox
  readonly pages: number
  readonly drains: number
  readonly env: Record<string, string>
  /** Where each drain writes its CPU profile (`node --cpu-prof`), if anywhere. */
  readonly cpuProfileDir?: string | undefined
}) =>
  Effect.gen(function* () {
    const { server, sandbox, database } = options
    const admin = new pg.Client({
      connectionString: urlOf(server, "postgres"),
      application_name: "wf7-bench",
    })
    yield* Effect.acquireRelease(
      Effect.promise(() => admin.connect()),
      () => Effect.promise(() => admin.end()),
    )
    yield* Effect.promise(() => admin.query(`CREATE DATABASE ${database}`))
    const urls = path.join(options.dir, `${database}.txt`)
    yield* Effect.promise(() => fs.writeFile(urls, `${sandbox.urls.slice(0, options.pages).join("\n")}\n`))
    const env = {
      DATABASE_URL: urlOf(server, database),
      WF7_FETCH_MODE: "scraperapi",
      SCRAPER_API_BASE_URL: sandbox.baseUrl,
      SCRAPER_API_KEY: sandbox.apiKey,
      ...options.env,
    }
    yield* wf7(["enqueue", "--select", urls], env)

    const pids: Array<number> = []
    const cpu: Array<[number, number]> = []
    const rss = new Map<number, number>()
    let maxDbConnections = 0
    const sample = Effect.promise(async () => {
      const { rows } = await admin.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1 AND application_name = 'wf7'",
        [database],
      )
      maxDbConnections = Math.max(maxDbConnections, rows[0]?.count ?? 0)
      const used = pids.map((pid) => {
        rss.set(pid, peakRssMb(pid) ?? rss.get(pid) ?? 0)
        return cpuSeconds(pid)
      })
      // Once a drain has exited its CPU can no longer be read: the series ends with the first exit.
      if (used.every((seconds) => seconds !== undefined))
        cpu.push([Date.now(), used.reduce((a, b) => a + b, 0)])
    })
    const sampler = yield* Effect.fork(Effect.repeat(sample, Schedule.spaced(Duration.millis(SAMPLE_MS))))
    const started = Date.now()
    yield* Effect.all(
      Array.from({ length: options.drains }, () =>
        wf7(["drain"], env, (pid) => pids.push(pid), profiled(options.cpuProfileDir)),
      ),
      { concurrency: "unbounded" },
    )
    const seconds = (Date.now() - started) / 1000
    yield* Fiber.interrupt(sampler)

    const completions = yield* completionTimes(server, database)
    const from = Math.floor(completions.length * 0.1)
    const to = Math.max(from + 1, Math.floor(completions.length * 0.9)) - 1
    const [first, last] = [completions[from] ?? 0, completions[to] ?? 0]
    const windowSeconds = Math.max(0.001, (last - first) / 1000)
    const counted = to - from
    const { samples, peakInFlight, rateLimited, meanLatencyMs } = yield* inFlightOf(sandbox)
    const steady = samples.filter(({ at }) => at >= first && at <= last).map(({ inFlight }) => inFlight)
    return {
      pages: options.pages,
      complete: completions.length,
      seconds: round(seconds, 1),
      pagesPerSecond: round(counted / windowSeconds, 1),
      inFlightMin: steady.length === 0 ? 0 : Math.min(...steady),
      inFlightP50: quantile(steady, 0.5),
      peakInFlight,
      rateLimited,
      peakRssMb: Math.round(Math.max(0, ...rss.values())),
      cpuSecondsPer1000: round(((valueAt(cpu, last) - valueAt(cpu, first)) * 1000) / Math.max(1, counted), 2),
      maxDbConnections,
      meanLatencyMs: round(meanLatencyMs, 1),
    } satisfies DrainsRun
  }).pipe(Effect.scoped)

const profiled = (dir: string | undefined) =>
  dir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`]

const round = (value: number, digits: number) => Number(value.toFixed(digits))

/** When each page was completed, in milliseconds since the epoch, in order. */
const completionTimes = (server: EmbeddedConnection, database: string) =>
  Effect.gen(function* () {
    const client = new pg.Client({ connectionString: urlOf(server, database), application_name: "wf7-bench" })
    yield* Effect.acquireRelease(
      Effect.promise(() => client.connect()),
      () => Effect.promise(() => client.end()),
    )
    const { rows } = yield* Effect.promise(() =>
      client.query<{ at: number }>(
        `SELECT (extract(epoch FROM processed_at) * 1000)::float8 AS at FROM pages
         WHERE page_processing_status = 'Complete' ORDER BY processed_at`,
      ),
    )
    return rows.map(({ at }) => at)
  }).pipe(Effect.scoped)
