import { Duration, Effect, Schedule } from "effect"
import type { FetchError } from "../Fetch/Errors.js"

/**
 * When a failed fetch is tried again (SPEC §4): exponential backoff with jitter, at most WF7_RETRY_ATTEMPTS
 * attempts; a 500 at most twice more (ScraperAPI has already retried it for 70 s); 404/410/400, an oversized
 * page, a refused target and exhausted credits never. A 429 waits at least its Retry-After and spends no
 * attempt, within its own generous budget.
 */

export interface RetryOptions {
  readonly attempts: number
  readonly factor: number
  readonly baseSeconds: number
}

export const MAX_UPSTREAM_RETRIES = 2
export const MAX_RATE_LIMIT_RETRIES = 30
const MAX_DELAY = Duration.minutes(2)

export const isRetryable = (error: FetchError) =>
  error._tag === "RateLimited" ||
  error._tag === "UpstreamFailed" ||
  error._tag === "FetchTimeout" ||
  error._tag === "TransportError" ||
  error._tag === "HostNotFound"

interface Counts {
  readonly failures: number
  readonly upstream: number
  readonly limited: number
}

const counted = (counts: Counts, error: FetchError): Counts =>
  error._tag === "RateLimited"
    ? { ...counts, limited: counts.limited + 1 }
    : {
        ...counts,
        failures: counts.failures + 1,
        upstream: counts.upstream + (error._tag === "UpstreamFailed" ? 1 : 0),
      }

const withinBudget = (counts: Counts, attempts: number) =>
  counts.failures < attempts &&
  counts.upstream <= MAX_UPSTREAM_RETRIES &&
  counts.limited <= MAX_RATE_LIMIT_RETRIES

export const retryPolicy = (options: RetryOptions) => {
  // `reduce` emits the count before the current failure, so the failure itself is added here.
  const budget = Schedule.identity<FetchError>().pipe(
    Schedule.reduce<FetchError, Counts>({ failures: 0, upstream: 0, limited: 0 }, counted),
    Schedule.intersect(Schedule.identity<FetchError>()),
    Schedule.whileOutput(([before, error]) => withinBudget(counted(before, error), options.attempts)),
  )
  const backoff = Schedule.exponential(Duration.seconds(options.baseSeconds), options.factor).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, MAX_DELAY)),
  )
  return budget.pipe(
    Schedule.whileInput(isRetryable),
    Schedule.intersect(backoff),
    Schedule.modifyDelay(([[, error]], delay) =>
      error._tag === "RateLimited" && error.retryAfter !== undefined
        ? Duration.max(delay, error.retryAfter)
        : delay,
    ),
  )
}

/**
 * `Effect.retry(effect, policy)`, with the schedule started by the first failure: a page fetched at the
 * first try (nearly every page) holds no schedule through its request, only this one layer.
 */
export const retryOnFailure = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  policy: Schedule.Schedule<unknown, E>,
) =>
  Effect.catchAll(effect, (first) =>
    Effect.flatMap(Schedule.driver(policy), (driver) => {
      const again = (error: E): Effect.Effect<A, E, R> =>
        Effect.matchEffect(driver.next(error), {
          onFailure: () => Effect.fail(error),
          onSuccess: () => Effect.catchAll(effect, again),
        })
      return again(first)
    }),
  )
