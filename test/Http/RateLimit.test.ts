import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Layer, TestClock } from "effect"
import { MAX_CLIENTS, RateLimiter } from "../../src/Http/RateLimit.js"
import { call, callApi, configLayer, httpTestLayer, jwtFor, json, testEnv } from "../support/Http.js"

const limiterAt = (perSecond: string) =>
  Effect.provide(
    RateLimiter,
    RateLimiter.Default.pipe(Layer.provide(configLayer({ WF7_API_RATE_LIMIT: perSecond }))),
  )

/** Whether `client` got a token, or the seconds it was told to wait. */
const take = (limiter: RateLimiter, client: string) =>
  limiter
    .take(client)
    .pipe(
      Effect.either,
      Effect.map(Either.match({ onLeft: (error) => error.retryAfterSeconds, onRight: () => "ok" as const })),
    )

describe("RateLimiter", () => {
  it.effect("lets a client burst to twice its rate, then refills it at the rate", () =>
    Effect.gen(function* () {
      const limiter = yield* limiterAt("2")
      for (let request = 0; request < 4; request++) expect(yield* take(limiter, "a")).toBe("ok")
      expect(yield* take(limiter, "a")).toBe(1)
      expect(yield* take(limiter, "b")).toBe("ok")
      yield* TestClock.adjust(Duration.millis(500))
      expect(yield* take(limiter, "a")).toBe("ok")
      expect(yield* take(limiter, "a")).toBe(1)
    }),
  )

  it.effect("says how long to wait when the rate is under one a second", () =>
    Effect.gen(function* () {
      const limiter = yield* limiterAt("0.1")
      expect(yield* take(limiter, "a")).toBe("ok")
      expect(yield* take(limiter, "a")).toBe(10)
      yield* TestClock.adjust(Duration.seconds(6))
      expect(yield* take(limiter, "a")).toBe(4)
    }),
  )

  it.effect(`remembers at most ${MAX_CLIENTS} clients, forgetting the least recently seen`, () =>
    Effect.gen(function* () {
      const limiter = yield* limiterAt("0.1")
      expect(yield* take(limiter, "first")).toBe("ok")
      expect(yield* take(limiter, "first")).toBe(10)
      for (let client = 0; client < MAX_CLIENTS; client++) yield* take(limiter, `flood-${client}`)
      // No time has passed: only a forgotten bucket can be full again.
      expect(yield* take(limiter, "first")).toBe("ok")
      expect(yield* take(limiter, `flood-${MAX_CLIENTS - 1}`)).toBe(10)
    }),
  )
})

describe("HTTP API: rate limit", () => {
  it.layer(httpTestLayer({ env: { ...testEnv, WF7_API_RATE_LIMIT: "0.1" } }))(
    "one request per 10 s",
    (it) => {
      it.effect("429 with Retry-After beyond the bucket, per client; probes are exempt", () =>
        Effect.gen(function* () {
          // Raw: the Retry-After header and each client's own token are what is tested.
          expect((yield* callApi("/api/v3/stats")).status).toBe(200)
          const limited = yield* callApi("/api/v3/stats")
          expect(limited.headers.get("retry-after")).toBe("10")
          expect(yield* json(limited)).toEqual({
            status: 429,
            body: { error: "TooManyRequests", message: "Too many requests: try again in 10 s" },
          })

          // Another curator (JWT subject) has a bucket of its own.
          const other = { authorization: `Bearer ${yield* jwtFor("curator-2")}` }
          expect((yield* call("/api/v3/stats", { headers: other })).status).toBe(200)
          expect((yield* call("/api/v3/stats", { headers: other })).status).toBe(429)

          // Requests without a valid token are counted by address: guessing is limited too.
          expect(
            (yield* call("/api/v3/stats", { headers: { authorization: "Bearer guess-1" } })).status,
          ).toBe(401)
          expect(
            (yield* call("/api/v3/stats", { headers: { authorization: "Bearer guess-2" } })).status,
          ).toBe(429)

          for (const probe of ["/healthz", "/readyz", "/healthz"])
            expect((yield* call(probe)).status).toBe(200)
        }),
      )
    },
  )
})
