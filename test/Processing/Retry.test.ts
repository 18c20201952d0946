import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Ref, TestClock } from "effect"
import {
  BadRequest,
  CreditsExhausted,
  FetchTimeout,
  PageGone,
  RateLimited,
  TransportError,
  UpstreamFailed,
  type FetchError,
} from "../../src/Fetch/Errors.js"
import { retryOnFailure, retryPolicy } from "../../src/Processing/Retry.js"

const policy = retryPolicy({ attempts: 3, factor: 2, baseSeconds: 1 })

/**
 * Fails with the scripted errors in turn (then succeeds), retried as FetchStep retries a fetch; returns
 * the times at which it was tried.
 */
const run = (script: ReadonlyArray<FetchError>, options = policy) =>
  Effect.gen(function* () {
    const tries = yield* Ref.make<Array<number>>([])
    const attempt = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const times = yield* Ref.updateAndGet(tries, (list) => [...list, now])
      const error = script[times.length - 1]
      return error === undefined ? "ok" : yield* Effect.fail(error)
    })
    const fiber = yield* Effect.fork(Effect.either(retryOnFailure(attempt, options)))
    yield* TestClock.adjust(Duration.hours(2))
    const result = yield* Fiber.join(fiber)
    return { result, times: yield* Ref.get(tries) }
  })

const gone = new PageGone({ status: 404, message: "gone" })
const upstream = new UpstreamFailed({ status: 500, message: "upstream" })
const timeout = new FetchTimeout({ message: "timeout" })
const reset = new TransportError({ message: "Transport error (ECONNRESET)" })

describe("retry policy (SPEC §4)", () => {
  it.effect.each([
    ["404 page gone", gone],
    ["410 page gone", new PageGone({ status: 410, message: "gone" })],
    ["400 bad request", new BadRequest({ status: 400, message: "bad" })],
    ["403 credits exhausted", new CreditsExhausted({ message: "exhausted" })],
  ] as const)("%s: never retried", ([, error]) =>
    Effect.gen(function* () {
      const { result, times } = yield* run([error, error])
      expect(result._tag).toBe("Left")
      expect(times).toHaveLength(1)
    }),
  )

  it.effect("timeouts and resets: retried with growing, jittered delays, at most WF7_RETRY_ATTEMPTS", () =>
    Effect.gen(function* () {
      const { result, times } = yield* run([timeout, reset, timeout, reset])
      expect(result._tag).toBe("Left")
      expect(times).toHaveLength(3)
      const [first, second, third] = times as [number, number, number]
      // base 1 s then 2 s, each jittered by 0.8–1.2.
      expect(second - first).toBeGreaterThanOrEqual(800)
      expect(second - first).toBeLessThanOrEqual(1200)
      expect(third - second).toBeGreaterThanOrEqual(1600)
      expect(third - second).toBeLessThanOrEqual(2400)
    }),
  )

  it.effect("a transient failure then success succeeds", () =>
    Effect.gen(function* () {
      const { result, times } = yield* run([reset])
      expect(result._tag).toBe("Right")
      expect(times).toHaveLength(2)
    }),
  )

  it.effect("a 500 is retried at most twice, even with more attempts allowed", () =>
    Effect.gen(function* () {
      const generous = retryPolicy({ attempts: 10, factor: 2, baseSeconds: 1 })
      const { times } = yield* run([upstream, upstream, upstream, upstream, upstream], generous)
      expect(times).toHaveLength(3)
    }),
  )

  it.effect("a 429 waits its Retry-After and spends no attempt", () =>
    Effect.gen(function* () {
      const limited = new RateLimited({ retryAfter: Duration.seconds(30), message: "slow down" })
      const { result, times } = yield* run([limited, limited, limited, limited, timeout, timeout])
      expect(result._tag).toBe("Right")
      expect(times).toHaveLength(7)
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(30_000)
    }),
  )
})
