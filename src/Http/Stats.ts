import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { readable, seconds } from "../Observability/Readable.js"
import { PagesStats } from "../Pages/PagesStats.js"
import { Pipeline } from "../Processing/Pipeline.js"
import { Api } from "./Api.js"

const nullOr = (value: number | null, round: (value: number) => number) =>
  value === null ? null : round(value)

/** What the curator watches: the queue and the last day from the database, the pipeline live. */
export const StatsLive = HttpApiBuilder.group(Api, "stats", (handlers) =>
  Effect.gen(function* () {
    const stats = yield* PagesStats
    const pipeline = yield* Pipeline
    return handlers.handle("get", () =>
      Effect.all([stats.get(), pipeline.status], { concurrency: 2 }).pipe(
        Effect.map(([pages, live]) => ({
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
      ),
    )
  }),
)

export const SchedulerLive = HttpApiBuilder.group(Api, "scheduler", (handlers) =>
  Effect.gen(function* () {
    const pipeline = yield* Pipeline
    return handlers.handle("trigger", () => Effect.as(pipeline.trigger, { triggered: true }))
  }),
)
