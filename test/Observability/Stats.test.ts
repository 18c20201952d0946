import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, Metric, TestClock } from "effect"
import * as Metrics from "../../src/Observability/Metrics.js"
import { describe as describeInterval, type Reading, StatsLineLive } from "../../src/Observability/Stats.js"

const set = (metric: Metric.Metric.Gauge<number>, value: number) => Metric.set(metric, value)

/** A minute of work as the pipeline and the sampler record it. */
const aMinuteOfWork = Effect.all([
  Metric.incrementBy(
    Metrics.pagesProcessed.pipe(Metric.tagged("outcome", "complete"), Metric.tagged("mode", "concurrent")),
    10,
  ),
  Metric.incrementBy(
    Metrics.pagesProcessed.pipe(Metric.tagged("outcome", "error"), Metric.tagged("mode", "concurrent")),
    2,
  ),
  Metric.incrementBy(Metric.tagged(Metrics.contactsCreated, "kind", "email"), 20),
  Metric.incrementBy(Metric.tagged(Metrics.contactsCreated, "kind", "phone"), 5),
  Metric.incrementBy(Metric.tagged(Metrics.contactsCreated, "kind", "social"), 3),
  Metric.incrementBy(Metrics.rateLimitErrors, 4),
  set(Metrics.fleetNodes, 2),
  set(Metrics.fleetInFlight, 12),
  set(Metrics.fleetConcurrency, 8),
  set(Metric.tagged(Metrics.queueDepth, "status", "Queued"), 120),
  set(Metric.tagged(Metrics.queueDepth, "status", "Processing"), 8),
  set(Metric.tagged(Metrics.dbPoolConnections, "state", "total"), 3),
  set(Metric.tagged(Metrics.dbPoolConnections, "state", "idle"), 1),
  set(Metric.tagged(Metrics.dbPoolConnections, "state", "waiting"), 0),
])

describe("per-minute statistics line", () => {
  it.scoped("every minute, one line of the last minute's rates and the current gauges", () =>
    Effect.gen(function* () {
      const logged: Array<{ message: string; fields: Record<string, unknown> }> = []
      const capture = Logger.make(({ message, annotations }) =>
        logged.push({ message: [message].flat().join(" "), fields: Object.fromEntries(annotations) }),
      )
      yield* Layer.build(StatsLineLive).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, capture)))
      yield* aMinuteOfWork
      yield* TestClock.adjust("59 seconds")
      expect(logged).toEqual([])
      yield* TestClock.adjust("1 second")
      expect(logged.map((line) => line.message)).toEqual([
        "WF7 Stats: 12 pages/min, 25 contacts/min, error rate 16.7%, 4 rate-limited (429), " +
          "fleet 2 nodes, 12 in flight, effective concurrency 8, queue 120 queued / 8 processing, db pool 2 in use / 1 idle / 0 waiting",
      ])
      expect(logged[0]!.fields).toMatchObject({ pagesPerMinute: 12, errorRate: 0.167, rateLimited: 4 })
      yield* TestClock.adjust("1 minute")
      expect(logged[1]!.message).toMatch(
        /^WF7 Stats: 0 pages\/min, 0 contacts\/min, error rate 0\.0%, 0 rate-limited/,
      )
      expect(logged).toHaveLength(2)
    }),
  )

  it("rounds rates to 3 significant digits, as a person reads them", () => {
    const at = (minutes: number, complete: number, errors: number, contacts: number): Reading => ({
      at: minutes * 60_000,
      complete,
      errors,
      contacts,
      rateLimited: 0,
      nodes: 1,
      inFlight: 0,
      concurrency: 1,
      queued: 0,
      processing: 0,
      pool: { total: 1, idle: 1, waiting: 0 },
    })
    // 700 pages over 7 minutes, one of them an Error; 1 contact: 0.142857… contacts/min.
    const { fields } = describeInterval(at(0, 0, 0, 0), at(7, 699, 1, 1))
    expect(fields).toMatchObject({ pagesPerMinute: 100, contactsPerMinute: 0.143, errorRate: 0.00143 })
    const busy = describeInterval(at(0, 0, 0, 0), at(3, 3703, 0, 0)).fields
    expect(busy.pagesPerMinute).toBe(1234)
  })
})
