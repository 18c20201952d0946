/**
 * The simulator's load per API key, as ScraperAPI enforces its concurrency per account: requests in
 * flight now and at the peak, and in flight integrated over time. Over any interval, the growth of
 * `busyMillis` divided by the interval's length is the mean number in flight, and divided by the
 * requests answered meanwhile the mean latency (Little's law), read from the simulator's own figures.
 */

export interface KeyLoad {
  readonly inFlight: number
  readonly peak: number
  readonly busyMillis: number
  readonly answered: number
  /** The simulator's clock, in milliseconds, when these figures were taken. */
  readonly at: number
}

export type KeyLoads = ReadonlyMap<string, KeyLoad>

/** The figures as of `now`: the time since the last change counted at the current in-flight level. */
export const loadAt = (load: KeyLoad | undefined, now: number): KeyLoad =>
  load === undefined
    ? { inFlight: 0, peak: 0, busyMillis: 0, answered: 0, at: now }
    : { ...load, busyMillis: load.busyMillis + load.inFlight * Math.max(0, now - load.at), at: now }

const change = (loads: KeyLoads, key: string, now: number, update: (load: KeyLoad) => KeyLoad): KeyLoads =>
  new Map(loads).set(key, update(loadAt(loads.get(key), now)))

/** A request with this key arrived. */
export const entered = (loads: KeyLoads, key: string, now: number) =>
  change(loads, key, now, (load) => ({
    ...load,
    inFlight: load.inFlight + 1,
    peak: Math.max(load.peak, load.inFlight + 1),
  }))

/** A request with this key was answered, reset or given up by its client. */
export const left = (loads: KeyLoads, key: string, now: number) =>
  change(loads, key, now, (load) => ({ ...load, inFlight: load.inFlight - 1, answered: load.answered + 1 }))
