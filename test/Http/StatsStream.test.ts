import { expect, it } from "@effect/vitest"
import { Duration, Effect, Schedule, TestClock, TestServices } from "effect"
import { MAX_STATS_STREAMS } from "../../src/Http/Api.js"
import { API_KEY, apiClient, call, callApi, httpTestLayer, json } from "../support/Http.js"

/**
 * An open event stream, read as far as a test needs; closing it is what a leaving browser does.
 * Raw HTTP: the typed client reads the stream as one text body, not event by event.
 */
const openStream = (path: string, headers: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const abort = new AbortController()
      const response = yield* call(path, { headers, signal: abort.signal })
      let text = ""
      const reader = response.body?.getReader()
      const decoder = new TextDecoder()
      /** Reads until `done` holds for everything received so far. */
      const until = (done: (received: string) => boolean) =>
        Effect.promise(async () => {
          while (reader !== undefined && !done(text)) {
            const chunk = await reader.read()
            if (chunk.done) break
            text += decoder.decode(chunk.value, { stream: true })
          }
          return text
        })
      return { response, until, close: Effect.sync(() => abort.abort()) }
    }),
    (stream) => stream.close,
  )

const eventsIn = (text: string) =>
  text
    .split("\n\n")
    .filter((block) => block.startsWith("event: stats\n"))
    .map((block) => JSON.parse(block.slice(block.indexOf("data: ") + 6)))

const countOf = (count: number) => (text: string) => eventsIn(text).length >= count

it.layer(httpTestLayer())("HTTP API: the stats stream", (it) => {
  it.scoped("sends the stats at once, then every interval, with heartbeats in between", () =>
    Effect.gen(function* () {
      const stream = yield* openStream("/api/v3/stats/stream?interval=5", {
        authorization: `Bearer ${API_KEY}`,
      })
      expect(stream.response.status).toBe(200)
      expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/)
      expect(stream.response.headers.get("cache-control")).toBe("no-cache")
      const [first] = eventsIn(yield* stream.until(countOf(1)))
      const polled = yield* Effect.flatMap(apiClient, (api) => api.stats.get())
      expect(Object.keys(first).sort()).toEqual(Object.keys(polled).sort())
      expect(first.by_curation_status).toEqual(polled.by_curation_status)

      yield* TestClock.adjust(Duration.seconds(4))
      expect(eventsIn(yield* stream.until(() => true))).toHaveLength(1)
      // One interval at a time: each event's query ends before the clock moves on.
      for (const count of [2, 3]) {
        yield* TestClock.adjust(Duration.seconds(count === 2 ? 1 : 5))
        expect(eventsIn(yield* stream.until(countOf(count)))).toHaveLength(count)
      }
      expect(yield* stream.until(() => true)).not.toContain(": heartbeat")
      yield* TestClock.adjust(Duration.seconds(5))
      const received = yield* stream.until((text) => text.includes(": heartbeat\n\n") && countOf(4)(text))
      expect(eventsIn(received)).toHaveLength(4)
    }),
  )

  it.scoped("takes the token as ?access_token= (EventSource sends no headers), and nothing else", () =>
    Effect.gen(function* () {
      const stream = yield* openStream(`/api/v3/stats/stream?access_token=${API_KEY}`)
      expect(stream.response.status).toBe(200)
      expect(eventsIn(yield* stream.until(countOf(1)))).toHaveLength(1)
      expect((yield* call("/api/v3/stats/stream?access_token=wrong")).status).toBe(401)
      expect((yield* call("/api/v3/stats/stream")).status).toBe(401)
      expect((yield* call(`/api/v3/stats?access_token=${API_KEY}`)).status).toBe(401)
      // Raw: the typed client would refuse to send what the server must refuse.
      const interval = yield* callApi("/api/v3/stats/stream?interval=61").pipe(Effect.flatMap(json))
      expect(interval.status).toBe(400)
    }),
  )

  it.scoped(
    `refuses more than ${MAX_STATS_STREAMS} streams at once, and frees a place when a client goes`,
    () =>
      Effect.gen(function* () {
        const auth = { authorization: `Bearer ${API_KEY}` }
        const streams = yield* Effect.forEach(
          Array.from({ length: MAX_STATS_STREAMS }),
          () => openStream("/api/v3/stats/stream", auth),
          { concurrency: 5 },
        )
        const refused = yield* call("/api/v3/stats/stream", { headers: auth }).pipe(Effect.flatMap(json))
        expect(refused).toMatchObject({
          status: 429,
          body: { message: expect.stringContaining(`${MAX_STATS_STREAMS} stats streams are open`) },
        })

        yield* Effect.forEach(streams.slice(0, 1), (stream) => stream.close)
        // The server learns of the closed connection shortly after; no stream is admitted before it does.
        const admitted = yield* call("/api/v3/stats/stream", { headers: auth }).pipe(
          Effect.filterOrFail((response) => response.status === 200),
          Effect.retry({ schedule: Schedule.spaced(Duration.millis(20)), times: 100 }),
          TestServices.provideLive,
        )
        expect(admitted.status).toBe(200)
        yield* Effect.promise(() => admitted.body?.cancel() ?? Promise.resolve())
      }).pipe(Effect.scoped),
  )
})
