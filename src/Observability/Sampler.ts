import { Context, Duration, Effect, Layer, Metric, Schedule } from "effect"
import { NodeTimeout } from "../Config.js"
import { FleetView } from "../Fleet/FleetView.js"
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
  Effect.Effect<{ readonly node: string; readonly inFlight: number; readonly effectiveConcurrency: number }>
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
  const { queued, processing } = yield* (yield* PagesRepo).pending
  yield* Metric.set(Metric.tagged(Metrics.queueDepth, "status", "Queued"), queued)
  yield* Metric.set(Metric.tagged(Metrics.queueDepth, "status", "Processing"), processing)
})

/** The fleet's totals over its live nodes, for the stats line and the fleet-wide gauges. */
export const sampleFleet = Effect.gen(function* () {
  const { nodes } = yield* (yield* FleetView).list(yield* NodeTimeout)
  const alive = nodes.filter((node) => node.alive)
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

const every = <E, R>(interval: Duration.DurationInput, sample: Effect.Effect<void, E, R>) =>
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
).pipe(Layer.provide(FleetView.Default))
