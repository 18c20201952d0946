import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { Sandbox, type SandboxHandle } from "../../src/Sandbox/index.js"

/** GET /sandbox/in-flight over real HTTP, as the bench reads it from the simulator's process. */
const inFlight = (sandbox: SandboxHandle, key = sandbox.apiKey) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.baseUrl}sandbox/in-flight?api_key=${encodeURIComponent(key)}`)
    return { status: response.status, body: await response.text() }
  })

const get = (url: string) => Effect.promise(() => fetch(url).then((response) => response.status))

describe("the simulator's in-flight samples", () => {
  it.scoped("sample the requests in flight at each interval and report the key's peak and 429s", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 4, concurrencyLimit: 3, sampleInFlightMs: 100 })
      yield* sandbox.hold
      const targets = sandbox.corpus.urls.slice(0, 3)
      const held = yield* Effect.fork(
        Effect.forEach(targets, (url) => get(`${sandbox.baseUrl}?api_key=${sandbox.apiKey}&url=${url}`), {
          concurrency: 3,
        }),
      )
      yield* sandbox.awaitInFlight(3)
      expect(yield* get(`${sandbox.baseUrl}?api_key=${sandbox.apiKey}&url=${targets[0]}`)).toBe(429)
      yield* TestClock.adjust("200 millis")
      yield* sandbox.release
      expect(yield* Fiber.join(held)).toEqual([200, 200, 200])
      yield* sandbox.awaitIdle
      yield* TestClock.adjust("100 millis")
      const answer = yield* inFlight(sandbox)
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toEqual({
        intervalMs: 100,
        peakInFlight: 3,
        rateLimited: 1,
        samples: [0, 100, 200, 300].map((at, index) => ({ at, inFlight: [0, 3, 3, 0][index] })),
      })
    }),
  )

  it.scoped("are for the key's holder only, and none are kept unless asked for", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 2 })
      expect((yield* inFlight(sandbox, "wrong-key")).status).toBe(403)
      yield* TestClock.adjust("1 second")
      expect(JSON.parse((yield* inFlight(sandbox)).body)).toEqual({
        intervalMs: null,
        peakInFlight: 0,
        rateLimited: 0,
        samples: [],
      })
    }),
  )

  it.scoped("refuses a sampling interval it cannot keep", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(Sandbox.start({ sites: 2, sampleInFlightMs: 0 }))
      expect(refused.message).toContain("in-flight sampling interval")
    }),
  )
})
