import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Duration, Effect, Ref, Schedule, Schema, Stream } from "effect"
import { Api, MAX_STATS_STREAMS } from "./Api.js"
import { TooManyRequests } from "./Errors.js"
import { Stats, StatsReport } from "./StatsReport.js"

/**
 * GET /api/v3/stats/stream: the stats as server-sent events. Each stream holds one of MAX_STATS_STREAMS
 * places (each costs a stats query per interval) until its client goes.
 */

/** Often enough for proxies that close a connection idle for 30 s or more. */
const HEARTBEAT = Duration.seconds(15)

export const StatsStreamLive = HttpApiBuilder.group(Api, "statsStream", (handlers) =>
  Effect.gen(function* () {
    const report = yield* StatsReport
    const open = yield* Ref.make(0)
    const encode = Schema.encode(Stats)

    const event = report.current.pipe(
      Effect.flatMap(encode),
      Effect.map((stats) => `event: stats\ndata: ${JSON.stringify(stats)}\n\n`),
      Effect.orDie,
    )

    return handlers.handle("stream", ({ urlParams }) =>
      Effect.gen(function* () {
        const admitted = yield* Ref.modify(open, (count) =>
          count < MAX_STATS_STREAMS ? [true, count + 1] : [false, count],
        )
        if (!admitted) {
          return yield* Effect.fail(
            new TooManyRequests({
              message: `${MAX_STATS_STREAMS} stats streams are open already: close one, or poll GET /api/v3/stats`,
            }),
          )
        }
        const events = Stream.repeatEffectWithSchedule(
          event,
          Schedule.spaced(Duration.seconds(urlParams.interval)),
        )
        const heartbeats = Stream.fromSchedule(Schedule.spaced(HEARTBEAT)).pipe(Stream.as(": heartbeat\n\n"))
        const body = Stream.merge(events, heartbeats, { haltStrategy: "either" }).pipe(
          Stream.encodeText,
          Stream.ensuring(Ref.update(open, (count) => count - 1)),
        )
        return HttpServerResponse.stream(body, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache", "x-accel-buffering": "no" },
        })
      }),
    )
  }),
)
