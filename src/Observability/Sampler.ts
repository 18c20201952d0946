import { Context, Duration, Effect, Layer, Metric, Schedule } from "effect"
import { DbPool } from "../DbPool.js"
import * as Metrics from "./Metrics.js"

/**
 * The gauges that are read rather than recorded: the engine's and the pool's every 5 s, the queue and the
 * fleet (count queries) every 15 s; a failed sample is logged only. The folders above, which this one does
 * not import, provide what they read.
 */

export class EngineGauges extends Context.Tag("Observability/EngineGauges")<
  EngineGauges,
  Effect.Effect<{ readonly node: string; readonly inFlight: number; readonly effectiveConcurrency: number }>
>() {}

export class QueueGauges extends Context.Tag("Observability/QueueGauges")<
  QueueGauges,
  Effect.Effect<{ readonly queued: number; readonly processing: number }>
>() {}

export class FleetGauges extends Context.Tag("Observability/FleetGauges")<
  FleetGauges,
  Effect.Effect<ReadonlyArray<{ readonly in_flight: number; readonly effective_concurrency: number }>>
>() {}

export const sampleProcess = Effect.gen(function* () {
  const status = yield* yield* EngineGauges
  yield* Metric.set(Metric.tagged(Metrics.inFlightPages, "node", status.node), status.inFlight)
  yield* Metric.set(
    Metric.tagged(Metrics.effectiveConcurrency, "node", status.node),
    status.effectiveConcurrency,
  )
  const usage = yield* (yield* DbPool).usage
  for (const state of Metrics.poolStates) {
    yield* Metric.set(Metric.tagged(Metrics.dbPoolConnections, "state", state), usage[state])
  }
  yield* Metrics.refreshReuseRatio
})

export const sampleQueue = Effect.gen(function* () {
  const { queued, processing } = yield* yield* QueueGauges
  yield* Metric.set(Metric.tagged(Metrics.queueDepth, "status", "Queued"), queued)
  yield* Metric.set(Metric.tagged(Metrics.queueDepth, "status", "Processing"), processing)
})

export const sampleFleet = Effect.gen(function* () {
  const alive = yield* yield* FleetGauges
  const total = (pick: (node: (typeof alive)[number]) => number) =>
    alive.reduce((sum, node) => sum + pick(node), 0)
  yield* Metric.set(Metrics.fleetNodes, alive.length)
  yield* Metric.set(
    Metrics.fleetInFlight,
    total((node) => node.in_flight),
  )
  yield* Metric.set(
    Metrics.fleetConcurrency,
    total((node) => node.effective_concurrency),
  )
})

const every = <R>(interval: Duration.DurationInput, sample: Effect.Effect<void, never, R>) =>
  sample.pipe(
    Effect.catchAllCause((cause) => Effect.logWarning("metrics sample failed", cause)),
    Effect.repeat(Schedule.spaced(interval)),
    Effect.forkScoped,
  )

export const SamplerLive = Layer.scopedDiscard(
  Effect.all(
    [every("5 seconds", sampleProcess), every("15 seconds", sampleQueue), every("15 seconds", sampleFleet)],
    { discard: true },
  ),
)
