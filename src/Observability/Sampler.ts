import { Context, Duration, Effect, Layer, Metric, Schedule } from "effect"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { DbPool } from "./DbPool.js"
import * as Metrics from "./Metrics.js"

/**
 * The gauges that are read rather than recorded: the engine's state and the pool's every 5 s, the
 * queue (a count query, cheap on the partial indexes) every 15 s. A failed sample is logged only.
 */

/** The engine's state as the gauges read it; provided by Processing/, which this folder does not import. */
export class EngineGauges extends Context.Tag("Observability/EngineGauges")<
  EngineGauges,
  Effect.Effect<{ readonly inFlight: number; readonly effectiveConcurrency: number }>
>() {}

export const sampleProcess = Effect.gen(function* () {
  const status = yield* yield* EngineGauges
  yield* Metric.set(Metrics.inFlightPages, status.inFlight)
  yield* Metric.set(Metrics.effectiveConcurrency, status.effectiveConcurrency)
  const usage = yield* (yield* DbPool).usage
  for (const state of Metrics.poolStates) {
    yield* Metric.set(Metric.tagged(Metrics.dbPoolConnections, "state", state), usage[state])
  }
  yield* Metrics.refreshReuseRatio
})

export const sampleQueue = Effect.gen(function* () {
  const { queued, processing } = yield* (yield* PagesRepo).pending
  yield* Metric.set(Metric.tagged(Metrics.queueDepth, "status", "Queued"), queued)
  yield* Metric.set(Metric.tagged(Metrics.queueDepth, "status", "Processing"), processing)
})

const every = <E, R>(interval: Duration.DurationInput, sample: Effect.Effect<void, E, R>) =>
  sample.pipe(
    Effect.catchAllCause((cause) => Effect.logWarning("metrics sample failed", cause)),
    Effect.repeat(Schedule.spaced(interval)),
    Effect.forkScoped,
  )

export const SamplerLive = Layer.scopedDiscard(
  Effect.all([every("5 seconds", sampleProcess), every("15 seconds", sampleQueue)], { discard: true }),
)
