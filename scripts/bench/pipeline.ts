import { SqlClient } from "@effect/sql"
import { type Context, Duration, Effect, Fiber, Layer, Logger, LogLevel, Ref, Schedule } from "effect"
import * as path from "node:path"
import { AppConfig } from "../../src/Config.js"
import { embeddedPostgres, temporaryDirectory, type EmbeddedConnection } from "../../src/EmbeddedPostgres.js"
import { throughSandbox } from "../../src/Cli/Actions/Demo.js"
import { table } from "../../src/Cli/Table.js"
import { Curation } from "../../src/Pages/Curation.js"
import { Engine } from "../../src/Processing/Engine.js"
import { PageFetcherLive } from "../../src/Fetch/Fetching.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { latencyOf, meanLatency, type LatencyKind } from "../../src/Sandbox/index.js"
import { remoteSandbox } from "./sandboxProcess.js"
import { clientLayer, MigrationsLive } from "../../src/Sql.js"

/**
 * The SPEC §6 pipeline targets, measured in one run on embedded Postgres and the simulator:
 * concurrency 10 against sequential on the same latency; throughput against Little's law
 * (slots ÷ mean latency) with heavy-tailed latency at 10, 100 and 1000 slots, counted over a window
 * in which every slot is busy; the most database connections seen; memory with 1000 pages in flight.
 */

const POOL = 5

interface Scenario {
  readonly name: string
  readonly latency: LatencyKind
  readonly latencyMs: number
  readonly concurrency: number
  readonly pages: number
  /** Completions counted between these seconds after the start, while every slot is busy. */
  readonly window: readonly [number, number]
}

export interface ScenarioResult {
  readonly name: string
  readonly concurrency: number
  readonly meanLatencyMs: number
  readonly pagesPerSecond: number
  readonly littlesLaw: number
  readonly efficiency: number
  readonly maxDbConnections: number
  readonly maxRssMb: number
  readonly maxHeapMb: number
}

export const database = (server: EmbeddedConnection, name: string) =>
  Effect.gen(function* () {
    const admin = yield* Effect.provide(
      SqlClient.SqlClient,
      yield* Layer.build(
        clientLayer({ ...server, database: "postgres" }, { poolSize: 1, connectTimeoutSeconds: 10 }),
      ),
    )
    yield* admin.unsafe(`CREATE DATABASE ${name}`)
    return yield* Layer.build(
      Curation.Default.pipe(
        Layer.provideMerge(MigrationsLive),
        Layer.provideMerge(
          clientLayer({ ...server, database: name }, { poolSize: POOL, connectTimeoutSeconds: 10 }),
        ),
      ),
    )
  })

/** The live engine (ScraperAPI fetcher) with these settings over a run's database. */
export const engineOn = (config: AppConfig, context: Context.Context<SqlClient.SqlClient>) =>
  Effect.flatMap(
    Layer.build(
      engineWith(PageFetcherLive).pipe(
        Layer.provide(Layer.succeed(AppConfig, config)),
        Layer.provide(Layer.succeedContext(context)),
      ),
    ),
    (built) => Effect.provide(Engine, built),
  )

const run = (server: EmbeddedConnection, dir: string, scenario: Scenario, index: number) =>
  Effect.gen(function* () {
    const sandbox = yield* remoteSandbox({
      dir,
      sites: Math.ceil(scenario.pages / 1.5),
      seed: 100 + index,
      latency: scenario.latency,
      latencyMs: scenario.latencyMs,
    })
    const context = yield* database(server, `bench_${index}`)
    const curation = yield* Effect.provide(Curation, context)
    const sql = yield* Effect.provide(SqlClient.SqlClient, context)
    yield* curation.importUrls(sandbox.urls.slice(0, scenario.pages), { select: true })
    const config = yield* throughSandbox(sandbox, {
      concurrentEnabled: scenario.concurrency > 1,
      maxConcurrent: scenario.concurrency,
      batchSize: Math.min(100, Math.max(10, scenario.concurrency / 10)),
      httpPoolSize: scenario.concurrency,
      httpPerHost: scenario.concurrency,
    })
    const engine = yield* engineOn(config, context)
    const peaks = yield* Ref.make({ connections: 0, rss: 0, heap: 0 })
    const sampler = yield* Effect.gen(function* () {
      // The pool's connections to this run's database (this sampler borrows one of them).
      const [row] = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE application_name = 'wf7' AND datname = current_database()`
      const { rss, heapUsed } = process.memoryUsage()
      yield* Ref.update(peaks, (peak) => ({
        heap: Math.max(peak.heap, heapUsed),
        connections: Math.max(peak.connections, row?.count ?? 0),
        rss: Math.max(peak.rss, rss),
      }))
    }).pipe(Effect.repeat(Schedule.spaced(Duration.millis(250))), Effect.fork)
    const started = Date.now()
    const worker = yield* Effect.fork(engine.run(true))
    const completedAt = (seconds: number) =>
      Effect.sleep(Duration.millis(Math.max(0, started + seconds * 1000 - Date.now()))).pipe(
        Effect.zipRight(engine.totals),
        Effect.map((totals) => ({ complete: totals.complete, at: Date.now() })),
      )
    const from = yield* completedAt(scenario.window[0])
    const to = yield* completedAt(scenario.window[1])
    yield* Fiber.interrupt(worker)
    yield* Fiber.interrupt(sampler)
    const pagesPerSecond = ((to.complete - from.complete) * 1000) / (to.at - from.at)
    const mean = meanLatency(latencyOf(scenario.latency, scenario.latencyMs))
    const littlesLaw = (scenario.concurrency * 1000) / mean
    const peak = yield* Ref.get(peaks)
    return {
      name: scenario.name,
      concurrency: scenario.concurrency,
      meanLatencyMs: mean,
      pagesPerSecond: Number(pagesPerSecond.toFixed(2)),
      littlesLaw: Number(littlesLaw.toFixed(2)),
      efficiency: Number((pagesPerSecond / littlesLaw).toFixed(3)),
      maxDbConnections: peak.connections,
      maxRssMb: Math.round(peak.rss / 1024 / 1024),
      maxHeapMb: Math.round(peak.heap / 1024 / 1024),
    } satisfies ScenarioResult
  }).pipe(Effect.scoped)

const scenarios: ReadonlyArray<Scenario> = [
  { name: "sequential", latency: "fixed", latencyMs: 1000, concurrency: 1, pages: 40, window: [2, 32] },
  { name: "concurrent 10", latency: "fixed", latencyMs: 1000, concurrency: 10, pages: 200, window: [2, 17] },
  {
    name: "heavy-tailed 10",
    latency: "heavy-tailed",
    latencyMs: 500,
    concurrency: 10,
    pages: 600,
    window: [3, 23],
  },
  {
    name: "heavy-tailed 100",
    latency: "heavy-tailed",
    latencyMs: 1000,
    concurrency: 100,
    pages: 2000,
    window: [4, 16],
  },
  {
    name: "heavy-tailed 1000",
    latency: "heavy-tailed",
    latencyMs: 5000,
    concurrency: 1000,
    pages: 10000,
    window: [12, 42],
  },
]

export const benchPipeline = Effect.gen(function* () {
  const dir = yield* temporaryDirectory("wf7-bench-")
  const server = yield* embeddedPostgres({
    dataDir: path.join(dir, "data"),
    persistent: false,
    database: "postgres",
  })
  const results: Array<ScenarioResult> = []
  for (const [index, scenario] of scenarios.entries()) {
    const result = yield* run(server, dir, scenario, index)
    console.error(`bench pipeline: ${JSON.stringify(result)}`)
    results.push(result)
  }
  const [sequential, concurrent] = results
  return {
    scenarios: results,
    speedUp: Number((concurrent!.pagesPerSecond / sequential!.pagesPerSecond).toFixed(2)),
  }
}).pipe(Effect.scoped, Effect.provide(AppConfig.Default), Logger.withMinimumLogLevel(LogLevel.Warning))

export const printPipeline = (result: Effect.Effect.Success<typeof benchPipeline>) => {
  console.log("\nPipeline (SPEC §6): simulator latency, embedded Postgres, pool of 5")
  console.log(
    table(
      result.scenarios.map((row) => [
        row.name,
        row.concurrency,
        row.meanLatencyMs,
        row.pagesPerSecond,
        row.littlesLaw,
        Number((row.efficiency * 100).toFixed(1)),
        row.maxDbConnections,
        row.maxRssMb,
        row.maxHeapMb,
      ]),
      [
        "scenario",
        "slots",
        "mean ms",
        "pages/s",
        "Little's law",
        "efficiency %",
        "max DB conns",
        "max RSS MB",
        "max heap MB",
      ],
    ),
  )
  console.log(`speed-up, concurrency 10 over sequential: ${result.speedUp}x`)
}
