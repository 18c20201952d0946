import { Clock, Duration, Effect, Schedule, type Scope } from "effect"
import { InvalidSandboxOptions } from "./State.js"

/**
 * The simulator's requests in flight, counted once for every view: the 429 rule, `/account`,
 * `GET /sandbox/in-flight`, and `GET /__sandbox/stats`, whose `busyMillis` integrates the count over time:
 * its growth over an interval is the mean in flight times the interval (Little's law, from our own figures).
 */

/** The load of the simulator's API key; ScraperAPI enforces its concurrency per account. */
export interface KeyLoad {
  readonly inFlight: number
  readonly peak: number
  readonly busyMillis: number
  /** Requests that left: answered, reset or given up by their client. */
  readonly answered: number
  readonly at: number
}

/** A key whose requests are all refused at once never has one in flight. */
export const idleLoad = (now: number): KeyLoad => ({
  inFlight: 0,
  peak: 0,
  busyMillis: 0,
  answered: 0,
  at: now,
})

export class Load {
  private inFlightNow = 0
  private peak = 0
  private busyMillis = 0
  private answered = 0
  private since: number
  private readonly watchers = new Set<() => void>()

  constructor(now: number) {
    this.since = now
  }

  get inFlight(): number {
    return this.inFlightNow
  }

  /** The figures as of `now`: the time since the last change counted at the current in-flight level. */
  at(now: number): KeyLoad {
    return {
      inFlight: this.inFlightNow,
      peak: this.peak,
      busyMillis: this.busyMillis + this.inFlightNow * Math.max(0, now - this.since),
      answered: this.answered,
      at: now,
    }
  }

  entered(now: number): void {
    this.accrue(now)
    this.inFlightNow++
    this.peak = Math.max(this.peak, this.inFlightNow)
    this.changed()
  }

  left(now: number): void {
    this.accrue(now)
    this.inFlightNow--
    this.answered++
    this.changed()
  }

  reset(now: number): void {
    this.since = now
    this.busyMillis = 0
    this.answered = 0
    this.peak = this.inFlightNow
  }

  until(done: (inFlight: number) => boolean): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const check = () => {
        if (!done(this.inFlightNow)) return
        this.watchers.delete(check)
        resume(Effect.void)
      }
      this.watchers.add(check)
      check()
      return Effect.sync(() => this.watchers.delete(check))
    })
  }

  private accrue(now: number) {
    this.busyMillis += this.inFlightNow * Math.max(0, now - this.since)
    this.since = now
  }

  private changed() {
    for (const watcher of this.watchers) watcher()
  }
}

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

/** Samples the in-flight count every `intervalMs` on the fiber's clock while the scope lasts. */
export const sampleInFlight = (
  load: Load,
  intervalMs: number,
): Effect.Effect<Effect.Effect<ReadonlyArray<InFlightSample>>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const samples: Array<InFlightSample> = []
    const sample = Effect.map(Clock.currentTimeMillis, (at) => {
      if (samples.length === MAX_IN_FLIGHT_SAMPLES) samples.shift()
      samples.push({ at, inFlight: load.inFlight })
    })
    yield* Effect.forkScoped(Effect.repeat(sample, Schedule.spaced(Duration.millis(intervalMs))))
    return Effect.sync(() => [...samples])
  })
