import { describe, expect, it } from "@effect/vitest"
import { Latency, meanLatency } from "../../src/Sandbox/index.js"
import { sampleLatency } from "../../src/Sandbox/Latency.js"
import { Rng } from "../../src/Sandbox/Random.js"

const samples = (latency: Latency, count = 200_000) => {
  const rng = new Rng(1, 1)
  return Array.from({ length: count }, () => sampleLatency(latency, rng))
}

const average = (values: ReadonlyArray<number>) =>
  values.reduce((sum, value) => sum + value, 0) / values.length

describe("latency distributions", () => {
  it("fixed is always the same", () => {
    expect(new Set(samples(Latency.Fixed({ ms: 250 }), 100))).toEqual(new Set([250]))
  })

  it("exponential has the requested mean", () => {
    const latency = Latency.Exponential({ meanMs: 400 })
    expect(average(samples(latency)) / meanLatency(latency)).toBeCloseTo(1, 1)
  })

  it("heavy-tailed has the requested mean within its cap, and a long tail", () => {
    const latency = Latency.HeavyTailed({ meanMs: 1000, maxMs: 20_000 })
    const values = samples(latency)
    expect(average(values) / 1000).toBeCloseTo(1, 1)
    const sorted = [...values].sort((a, b) => a - b)
    expect(sorted.at(-1)).toBeLessThanOrEqual(20_000)
    // The slowest 0.1 % sit beyond 15 medians: an exponential's stay under 10.
    const quantile = (q: number) => sorted[Math.floor(values.length * q)]!
    expect(quantile(0.999) / quantile(0.5)).toBeGreaterThan(15)
  })

  it("is reproducible from its seed", () => {
    const latency = Latency.HeavyTailed({ meanMs: 100, maxMs: 2000 })
    expect(samples(latency, 50)).toEqual(samples(latency, 50))
  })
})
