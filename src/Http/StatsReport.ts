import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import { Diagnostics } from "../Pages/Diagnostics.js"
import { readable, seconds } from "../Observability/Readable.js"
import { read } from "../Observability/Stats.js"
import { activitySeries, Bucket } from "../Pages/PagesSeries.js"
import { PageStats, PagesStats } from "../Pages/PagesStats.js"
import { Pipeline } from "../Processing/Pipeline.js"
import { Settings } from "../Settings/Settings.js"

const Count = Schema.Int.pipe(Schema.nonNegative())

const FetcherState = Schema.Union(
  Schema.Struct({ state: Schema.Literal("ok") }),
  Schema.Struct({ state: Schema.Literal("paused"), until: Schema.Date, reason: Schema.String }),
)

export const Stats = Schema.Struct({
  ...PageStats.fields,
  pipeline: Schema.Struct({
    in_flight: Count,
    effective_concurrency: Count,
    max_concurrency: Count,
    mode: Schema.Literal("sequential", "concurrent", "rolled-back"),
    fetcher: FetcherState,
  }),
  /** For charts: per minute over the last hour, per 15 minutes over the last day. */
  series: Schema.Struct({ last_hour: Schema.Array(Bucket), last_day: Schema.Array(Bucket) }),
  /** ScraperAPI 429 answers this process has had since it started. */
  rate_limited_total: Count,
  db_pool: Schema.Struct({ total: Count, idle: Count, waiting: Count }),
  /** What `wf7 diagnose` would warn about. */
  warnings: Schema.Array(Schema.String),
  rollout: Schema.Struct({
    concurrent_enabled: Schema.Boolean,
    rollout_percent: Count,
    max_concurrency: Count,
  }),
}).annotations({ identifier: "Stats" })
export type Stats = typeof Stats.Type

const nullOr = (value: number | null, round: (value: number) => number) =>
  value === null ? null : round(value)

/** What the curator watches (GET /stats and its stream): the database's last day and the live pipeline. */
export class StatsReport extends Effect.Service<StatsReport>()("Http/StatsReport", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const stats = yield* PagesStats
    const pipeline = yield* Pipeline
    const settings = yield* Settings
    const diagnostics = yield* Diagnostics

    const series = (minutes: number, count: number) => Effect.orDie(activitySeries(sql, minutes, count))

    const warnings = Effect.all([diagnostics.connections, diagnostics.stuck]).pipe(
      Effect.map(([connections, stuck]) => [
        ...(connections.warning
          ? [
              `${connections.total} of ${connections.maxConnections} database connections in use: lower WF7_DB_POOL_SIZE, run fewer daemons, or roll back`,
            ]
          : []),
        ...(stuck.count > 0
          ? [`${stuck.count} pages are stuck in Processing past their lease; a running daemon returns them`]
          : []),
      ]),
      Effect.orDie,
    )

    const current = Effect.all(
      {
        pages: stats.get(),
        live: pipeline.status,
        lastHour: series(1, 60),
        lastDay: series(15, 96),
        metrics: read,
        warnings,
        rollout: settings.get(),
      },
      { concurrency: 4 },
    ).pipe(
      Effect.map(({ pages, live, lastHour, lastDay, metrics, warnings, rollout }): Stats => ({
        ...pages,
        last_24h: {
          ...pages.last_24h,
          success_rate: nullOr(pages.last_24h.success_rate, readable),
          latency_seconds: {
            p50: nullOr(pages.last_24h.latency_seconds.p50, seconds),
            p95: nullOr(pages.last_24h.latency_seconds.p95, seconds),
          },
        },
        pipeline: {
          in_flight: live.inFlight,
          effective_concurrency: live.effectiveConcurrency,
          max_concurrency: live.maxConcurrency,
          mode: live.mode,
          fetcher: live.fetcher,
        },
        series: { last_hour: lastHour, last_day: lastDay },
        rate_limited_total: metrics.rateLimited,
        db_pool: metrics.pool,
        warnings,
        rollout: {
          concurrent_enabled: rollout.concurrent_enabled,
          rollout_percent: rollout.rollout_percent,
          max_concurrency: rollout.max_concurrency,
        },
      })),
      Effect.withSpan("StatsReport.current"),
    )

    return { current } as const
  }),
}) {}
