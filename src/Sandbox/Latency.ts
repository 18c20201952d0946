import { Data } from "effect"
import type { Rng } from "./Random.js"

/**
 * How long the simulator waits before answering. `HeavyTailed` is a Pareto (α = 2, infinite variance)
 * clipped at `maxMs`, its scale chosen so that the clipped mean is exactly `meanMs`: throughput tests
 * can then compare against Little's law (concurrency ÷ mean latency) without measuring the mean.
 */
export type Latency = Data.TaggedEnum<{
  Fixed: { readonly ms: number }
  Exponential: { readonly meanMs: number }
  HeavyTailed: { readonly meanMs: number; readonly maxMs: number }
}>

export const Latency = Data.taggedEnum<Latency>()

export const LatencyKinds = ["fixed", "exponential", "heavy-tailed"] as const
export type LatencyKind = (typeof LatencyKinds)[number]

/** Heavy tails are clipped at this multiple of the mean unless told otherwise. */
export const DEFAULT_TAIL_FACTOR = 20

export const latencyOf = (
  kind: LatencyKind,
  meanMs: number,
  maxMs = meanMs * DEFAULT_TAIL_FACTOR,
): Latency => {
  switch (kind) {
    case "fixed":
      return Latency.Fixed({ ms: meanMs })
    case "exponential":
      return Latency.Exponential({ meanMs })
    case "heavy-tailed":
      return Latency.HeavyTailed({ meanMs, maxMs })
  }
}

export const meanLatency: (latency: Latency) => number = Latency.$match({
  Fixed: ({ ms }) => ms,
  Exponential: ({ meanMs }) => meanMs,
  HeavyTailed: ({ meanMs, maxMs }) => Math.min(meanMs, maxMs),
})

export const describeLatency: (latency: Latency) => string = Latency.$match({
  Fixed: ({ ms }) => `fixed ${ms} ms`,
  Exponential: ({ meanMs }) => `exponential, mean ${meanMs} ms`,
  HeavyTailed: ({ meanMs, maxMs }) => `heavy-tailed, mean ${meanMs} ms, capped at ${maxMs} ms`,
})

// Pareto(α = 2, scale s) clipped at c has the mean m = 2s − s²/c, so s = c · (1 − √(1 − m/c)).
const paretoScale = (meanMs: number, maxMs: number) => maxMs * (1 - Math.sqrt(1 - meanMs / maxMs))

export const sampleLatency = (latency: Latency, rng: Rng): number =>
  Latency.$match(latency, {
    Fixed: ({ ms }) => ms,
    Exponential: ({ meanMs }) => -meanMs * Math.log(1 - rng.number()),
    HeavyTailed: ({ meanMs, maxMs }) =>
      maxMs <= meanMs ? maxMs : Math.min(maxMs, paretoScale(meanMs, maxMs) / Math.sqrt(1 - rng.number())),
  })

export const validLatency = (latency: Latency): string | undefined => {
  const values = Latency.$match(latency, {
    Fixed: ({ ms }) => [ms],
    Exponential: ({ meanMs }) => [meanMs],
    HeavyTailed: ({ meanMs, maxMs }) => [meanMs, maxMs],
  })
  return values.every((value) => Number.isFinite(value) && value >= 0)
    ? undefined
    : "latency must be a finite number of milliseconds, at least 0"
}
