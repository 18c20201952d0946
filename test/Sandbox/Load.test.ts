import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { Latency, Sandbox, type SandboxHandle } from "../../src/Sandbox/index.js"

/** GET /sandbox/in-flight over real HTTP, as the bench reads it from the simulator's process. */
const inFlight = (sandbox: SandboxHandle, key = sandbox.apiKey) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.baseUrl}sandbox/in-flight?api_key=${encodeURIComponent(key)}`)
    return { status: response.status, body: await response.text() }
  })

/** GET /__sandbox/stats over real HTTP, as a fleet reads its account's load. */
const keyStats = (sandbox: SandboxHandle, key: string) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.baseUrl}__sandbox/stats?api_key=${encodeURIComponent(key)}`)
    return (await response.json()) as unknown
  })

const get = (url: string) => Effect.promise(() => fetch(url).then((response) => response.status))

const scrape = (sandbox: SandboxHandle, target: string, key = sandbox.apiKey) =>
  get(`${sandbox.baseUrl}?api_key=${encodeURIComponent(key)}&url=${encodeURIComponent(target)}`)

describe("the simulator's load: one count of requests in flight, read by both its views", () => {
  it.scoped("gives the key's requests in flight, their peak and their time in flight, over HTTP too", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 8, concurrencyLimit: 10 })
      yield* sandbox.hold
      const held = yield* Effect.fork(
        Effect.forEach(sandbox.corpus.urls.slice(0, 4), (url) => scrape(sandbox, url), { concurrency: 4 }),
      )
      yield* sandbox.awaitInFlight(4)
      expect(yield* keyStats(sandbox, sandbox.apiKey)).toEqual({
        inFlight: 4,
        peak: 4,
        busyMillis: 0,
        answered: 0,
        at: 0,
      })
      yield* TestClock.adjust("50 millis")
      yield* sandbox.release
      expect(yield* Fiber.join(held)).toEqual([200, 200, 200, 200])
      // Four requests held together for 50 ms: 200 ms in flight in all.
      expect(yield* sandbox.load(sandbox.apiKey)).toEqual({
        inFlight: 0,
        peak: 4,
        busyMillis: 200,
        answered: 4,
        at: 50,
      })
      // Another key is refused at once: none of its requests is ever in flight.
      expect(yield* scrape(sandbox, sandbox.corpus.urls[5]!, "another-key")).toBe(403)
      expect(yield* keyStats(sandbox, "another-key")).toMatchObject({ inFlight: 0, peak: 0, answered: 0 })
    }),
  )

  it.scoped("does not count a request refused with 429 in flight, in either view", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 4, concurrencyLimit: 2 })
      const [a, b, c] = sandbox.corpus.urls
      yield* sandbox.hold
      const held = yield* Effect.fork(
        Effect.all([scrape(sandbox, a!), scrape(sandbox, b!)], { concurrency: 2 }),
      )
      yield* sandbox.awaitInFlight(2)
      expect(yield* scrape(sandbox, c!)).toBe(429)
      yield* sandbox.release
      yield* Fiber.join(held)
      expect(yield* keyStats(sandbox, sandbox.apiKey)).toMatchObject({ inFlight: 0, peak: 2, answered: 2 })
      expect(JSON.parse((yield* inFlight(sandbox)).body)).toMatchObject({ peakInFlight: 2, rateLimited: 1 })
    }),
  )

  it.scoped("sample the requests in flight at each interval and report the key's peak and 429s", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 4, concurrencyLimit: 3, sampleInFlightMs: 100 })
      yield* sandbox.hold
      const targets = sandbox.corpus.urls.slice(0, 3)
      const held = yield* Effect.fork(
        Effect.forEach(targets, (url) => scrape(sandbox, url), { concurrency: 3 }),
      )
      yield* sandbox.awaitInFlight(3)
      expect(yield* scrape(sandbox, targets[0]!)).toBe(429)
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
        meanLatencyMs: 0,
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
        meanLatencyMs: 0,
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

  it.scoped("report the mean of the latencies drawn for admitted requests (the bench's Little's W)", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 4, latency: Latency.Fixed({ ms: 20 }) })
      yield* Effect.forEach(sandbox.corpus.urls.slice(0, 3), (url) => scrape(sandbox, url), {
        concurrency: 3,
      })
      expect(JSON.parse((yield* inFlight(sandbox)).body)).toMatchObject({ meanLatencyMs: 20 })
    }),
  )
})
