import { Clock, Effect, Layer, Metric, Ref, Schedule } from "effect"
import * as Metrics from "./Metrics.js"
import { readable } from "./Readable.js"

/**
 * Once a minute the daemon logs how the last minute went, as crawler frameworks do: pages and contacts
 * per minute, error rate, 429s, concurrency, queue depth and pool use, all read from the metrics.
 */

export interface Reading {
  readonly at: number
  readonly complete: number
  readonly errors: number
  readonly contacts: number
  readonly rateLimited: number
  /** The fleet's, from here on: live nodes, their pages in flight and their fetch slots together. */
  readonly nodes: number
  readonly inFlight: number
  readonly concurrency: number
  readonly queued: number
  readonly processing: number
  readonly pool: { readonly total: number; readonly idle: number; readonly waiting: number }
}

const count = (metric: Metric.Metric.Counter<number>) =>
  Effect.map(Metric.value(metric), (state) => state.count)
const gauge = (metric: Metric.Metric.Gauge<number>) =>
  Effect.map(Metric.value(metric), (state) => state.value)
const sum = (values: ReadonlyArray<Effect.Effect<number>>) =>
  Effect.map(Effect.all(values), (numbers) => numbers.reduce((total, value) => total + value, 0))

const pages = (outcome: (typeof Metrics.outcomes)[number]) =>
  sum(
    Metrics.modes.map((mode) =>
      count(Metrics.pagesProcessed.pipe(Metric.tagged("outcome", outcome), Metric.tagged("mode", mode))),
    ),
  )

const contacts = (kind: (typeof Metrics.contactKinds)[number]) =>
  count(Metric.tagged(Metrics.contactsCreated, "kind", kind))

export const read: Effect.Effect<Reading> = Effect.all({
  at: Clock.currentTimeMillis,
  complete: pages("complete"),
  errors: pages("error"),
  contacts: sum([contacts("email"), contacts("phone")]),
  rateLimited: count(Metrics.rateLimitErrors),
  nodes: gauge(Metrics.fleetNodes),
  inFlight: gauge(Metrics.fleetInFlight),
  concurrency: gauge(Metrics.fleetConcurrency),
  queued: gauge(Metric.tagged(Metrics.queueDepth, "status", "Queued")),
  processing: gauge(Metric.tagged(Metrics.queueDepth, "status", "Processing")),
  pool: Effect.all({
    total: gauge(Metric.tagged(Metrics.dbPoolConnections, "state", "total")),
    idle: gauge(Metric.tagged(Metrics.dbPoolConnections, "state", "idle")),
    waiting: gauge(Metric.tagged(Metrics.dbPoolConnections, "state", "waiting")),
  }),
})

export const describe = (before: Reading, after: Reading) => {
  const minutes = Math.max(after.at - before.at, 1) / 60_000
  const finished = after.complete + after.errors - (before.complete + before.errors)
  const errors = after.errors - before.errors
  const fields = {
    pagesPerMinute: readable(finished / minutes),
    contactsPerMinute: readable((after.contacts - before.contacts) / minutes),
    errorRate: finished === 0 ? 0 : readable(errors / finished),
    rateLimited: after.rateLimited - before.rateLimited,
    nodes: after.nodes,
    inFlight: after.inFlight,
    effectiveConcurrency: after.concurrency,
    queued: after.queued,
    processing: after.processing,
    dbPoolInUse: after.pool.total - after.pool.idle,
    dbPoolIdle: after.pool.idle,
    dbPoolWaiting: after.pool.waiting,
  }
  const message =
    `WF7 Stats: ${fields.pagesPerMinute} pages/min, ${fields.contactsPerMinute} contacts/min, ` +
    `error rate ${(fields.errorRate * 100).toFixed(1)}%, ${fields.rateLimited} rate-limited (429), ` +
    `fleet ${fields.nodes} nodes, ${fields.inFlight} in flight, effective concurrency ${fields.effectiveConcurrency}, queue ${fields.queued} queued / ${fields.processing} processing, ` +
    `db pool ${fields.dbPoolInUse} in use / ${fields.dbPoolIdle} idle / ${fields.dbPoolWaiting} waiting`
  return { message, fields }
}

export const StatsLineLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const last = yield* Ref.make(yield* read)
    const tick = Effect.gen(function* () {
      const now = yield* read
      const { message, fields } = describe(yield* Ref.getAndSet(last, now), now)
      yield* Effect.logInfo(message).pipe(Effect.annotateLogs(fields))
    })
    yield* tick.pipe(Effect.schedule(Schedule.spaced("1 minute")), Effect.forkScoped)
  }),
)
