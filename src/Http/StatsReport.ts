import { Effect } from "effect"
import { readable, seconds } from "../Observability/Readable.js"
import { PagesStats } from "../Pages/PagesStats.js"
import { Pipeline } from "../Processing/Pipeline.js"
import type { Stats } from "./Api.js"

const nullOr = (value: number | null, round: (value: number) => number) =>
  value === null ? null : round(value)

/**
 * What the curator watches, as GET /api/v3/stats and its event stream answer it: the queue and the
 * last day from the database, the pipeline live.
 */
export class StatsReport extends Effect.Service<StatsReport>()("Http/StatsReport", {
  effect: Effect.gen(function* () {
    const stats = yield* PagesStats
    const pipeline = yield* Pipeline

    const current = Effect.all([stats.get(), pipeline.status], { concurrency: 2 }).pipe(
      Effect.map(([pages, live]): Stats => ({
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
      })),
      Effect.withSpan("StatsReport.current"),
    )

    return { current } as const
  }),
}) {}
