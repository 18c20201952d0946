import { expect, layer } from "@effect/vitest"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Duration, Effect, HashMap, Layer, Logger, Option, Schedule } from "effect"
import { redactQuery } from "../../src/Http/AccessLog.js"
import { tracingWith } from "../../src/Observability/Tracing.js"
import { API_KEY, call, callApi, httpTestLayer } from "../support/Http.js"

const exporter = new InMemorySpanExporter()
const accessLines: Array<{ readonly message: string; readonly url: string | undefined }> = []
const capture = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ message, annotations }) =>
    accessLines.push({
      message: [message].flat().join(" "),
      url: Option.getOrUndefined(HashMap.get(annotations, "http.url").pipe(Option.map(String))),
    }),
  ),
)

const SEARCH = "acme-private-term"

const serverSpans = () => exporter.getFinishedSpans().filter((span) => span.name.startsWith("http.server"))

// The log line and the span end just after the answer is sent.
const eventually = <A>(check: () => A | undefined) =>
  Effect.sync(check).pipe(
    Effect.flatMap(Option.fromNullable),
    Effect.retry({ schedule: Schedule.spaced(Duration.millis(20)), times: 100 }),
  )

layer(
  httpTestLayer().pipe(
    Layer.provide(tracingWith("wf7-test", () => new SimpleSpanProcessor(exporter))),
    Layer.provide(capture),
  ),
  { excludeTestServices: true },
)("HTTP API: access log and server spans", (it) => {
  it.effect("carry the path and the query's names, never its values", () =>
    Effect.gen(function* () {
      // Raw: the exact query string is what the log line and the span must redact.
      const response = yield* callApi(`/api/v3/pages?url_contains=${SEARCH}&limit=5`)
      expect(response.status).toBe(200)

      const line = yield* eventually(() =>
        accessLines.find((entry) => entry.url?.startsWith("/api/v3/pages")),
      )
      expect(line).toEqual({
        message: "Sent HTTP response",
        url: "/api/v3/pages?url_contains=REDACTED&limit=REDACTED",
      })

      const span = yield* eventually(() => serverSpans()[0])
      expect(serverSpans()).toHaveLength(1)
      expect(span.attributes).toMatchObject({
        "http.request.method": "GET",
        "url.path": "/api/v3/pages",
        "url.query": "url_contains=REDACTED&limit=REDACTED",
        "http.response.status_code": 200,
      })
      expect(String(span.attributes["url.full"])).toMatch(
        /\/api\/v3\/pages\?url_contains=REDACTED&limit=REDACTED$/,
      )
      expect(
        JSON.stringify([accessLines, exporter.getFinishedSpans().map((s) => s.attributes)]),
      ).not.toContain(SEARCH)
    }),
  )

  it.effect("hide the stats stream's ?access_token=, the API key itself", () =>
    Effect.gen(function* () {
      const abort = new AbortController()
      const response = yield* call(`/api/v3/stats/stream?access_token=${API_KEY}&interval=60`, {
        signal: abort.signal,
      })
      expect(response.status).toBe(200)
      yield* Effect.promise(async () => response.body?.getReader().read())
      abort.abort()
      const line = yield* eventually(() =>
        accessLines.find((entry) => entry.url?.startsWith("/api/v3/stats/stream")),
      )
      expect(line?.url).toBe("/api/v3/stats/stream?access_token=REDACTED&interval=REDACTED")
      yield* eventually(() =>
        serverSpans().find((span) => span.attributes["url.path"] === "/api/v3/stats/stream"),
      )
      expect(
        JSON.stringify([accessLines, exporter.getFinishedSpans().map((s) => s.attributes)]),
      ).not.toContain(API_KEY)
    }),
  )

  it("redactQuery keeps names, replaces values, leaves URLs without a query alone", () => {
    expect(redactQuery("/api/v3/contacts?domain=a.example&since=2026-01-01&flag")).toBe(
      "/api/v3/contacts?domain=REDACTED&since=REDACTED&flag=REDACTED",
    )
    expect(redactQuery("/api/v3/pages")).toBe("/api/v3/pages")
  })
})
