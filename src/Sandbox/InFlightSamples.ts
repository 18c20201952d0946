import { Clock, Duration, Effect, Schedule, type Scope } from "effect"
import { InvalidSandboxOptions } from "./State.js"

/**
 * The simulator's in-flight count sampled at an interval, so a bench can see whether the upstream
 * stays busy (steady) or swings in waves, without counting on its own side of the wire.
 */

export interface InFlightSample {
  /** Milliseconds since the epoch. */
  readonly at: number
  readonly inFlight: number
}

/** An hour at the default 100 ms: older samples give way to newer ones. */
export const MAX_IN_FLIGHT_SAMPLES = 36_000

const MIN_INTERVAL_MS = 10
const MAX_INTERVAL_MS = 60_000

export const validateSampleInterval = (intervalMs: number) =>
  Number.isInteger(intervalMs) && intervalMs >= MIN_INTERVAL_MS && intervalMs <= MAX_INTERVAL_MS
    ? Effect.void
    : Effect.fail(
        new InvalidSandboxOptions({
          message: `the in-flight sampling interval must be a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}`,
        }),
      )

export const sampleInFlight = (
  inFlight: Effect.Effect<number>,
  intervalMs: number,
): Effect.Effect<Effect.Effect<ReadonlyArray<InFlightSample>>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const samples: Array<InFlightSample> = []
    const sample = Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      const count = yield* inFlight
      if (samples.length === MAX_IN_FLIGHT_SAMPLES) samples.shift()
      samples.push({ at, inFlight: count })
    })
    yield* Effect.forkScoped(Effect.repeat(sample, Schedule.spaced(Duration.millis(intervalMs))))
    return Effect.sync(() => [...samples])
  })
