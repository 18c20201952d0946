import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schedule } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Sandbox } from "../../src/Sandbox/index.js"
import { startCli } from "../support/Cli.js"
import { stubServer } from "../support/StubServer.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * A real `wf7 daemon` with OTEL_EXPORTER_OTLP_ENDPOINT set: it serves /metrics on its API port, sends
 * its spans over OTLP/HTTP to a receiver the test runs, flushes them on SIGTERM, and no byte of
 * either holds the key.
 */

const KEY = "otlp-key-9b41d2c8e7a6f0"

const world = Layer.mergeAll(
  Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)),
  Sandbox.layer({ apiKey: KEY, sites: 3, seed: 3, latency: { _tag: "Fixed", ms: 5 } }),
)

/** An OTLP/HTTP receiver: it answers 200 to every POST and keeps the bodies. */
const receiver = Effect.gen(function* () {
  const bodies: Array<Buffer> = []
  const server = yield* stubServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      bodies.push(Buffer.concat(chunks))
      response.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
  })
  return { url: server.url, paths: server.requests, bodies }
})

interface OtlpSpan {
  readonly name: string
  readonly spanId: string
  readonly parentSpanId?: string
}

interface OtlpRequest {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource: {
      readonly attributes: ReadonlyArray<{ key: string; value: { stringValue?: string } }>
    }
    readonly scopeSpans: ReadonlyArray<{ readonly spans: ReadonlyArray<OtlpSpan> }>
  }>
}

const daemon = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync(() => startCli(["daemon"], env)),
    ({ child }) => Effect.sync(() => child.kill("SIGKILL")),
  )

describe("a daemon observed from outside", () => {
  it.scopedLive(
    "/metrics counts its pages; every page's spans reach the collector; the key is in neither",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const urls = sandbox.corpus.urls
        yield* (yield* Curation).importUrls(urls, { select: true })
        const collector = yield* receiver
        const { child, exited, output } = yield* daemon({
          DATABASE_URL: (yield* TestDatabase).url,
          SCRAPER_API_KEY: KEY,
          SCRAPER_API_BASE_URL: sandbox.baseUrl,
          WF7_POLL_INTERVAL_SECONDS: "0.1",
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_SERVICE_NAME: "wf7-otlp-test",
          PORT: "0",
        })
        const sql = yield* SqlClient.SqlClient
        const completed = sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pages WHERE page_processing_status = 'Complete'`
        yield* completed.pipe(
          Effect.repeat({
            schedule: Schedule.spaced("100 millis"),
            until: ([row]) => row!.count === urls.length,
          }),
          Effect.raceFirst(
            Effect.promise(() => exited).pipe(
              Effect.flatMap(() => Effect.dieMessage(`the daemon stopped early: ${output()}`)),
            ),
          ),
        )
        const port = /Listening on http:\/\/[^"]*:(\d+)/.exec(output())?.[1]
        const metrics = yield* Effect.promise(() =>
          fetch(`http://127.0.0.1:${port}/metrics`).then((response) => response.text()),
        )
        expect(metrics).toContain(
          `wf7_pages_processed_total{outcome="complete",mode="sequential"} ${urls.length}\n`,
        )
        expect(metrics).toMatch(/^wf7_scraper_requests_total\{status="200"\} \d+$/m)
        expect(metrics).not.toContain(KEY)
        child.kill("SIGTERM")
        expect(yield* Effect.promise(() => exited)).toBe(0)

        expect(new Set(collector.paths)).toEqual(new Set(["/v1/traces"]))
        const requests = collector.bodies.map((body) => JSON.parse(body.toString("utf8")) as OtlpRequest)
        const resources = requests.flatMap((request) => request.resourceSpans)
        const names = resources.flatMap(({ resource }) =>
          resource.attributes
            .filter(({ key }) => key === "service.name")
            .map(({ value }) => value.stringValue),
        )
        expect(new Set(names)).toEqual(new Set(["wf7-otlp-test"]))
        const spans = resources.flatMap(({ scopeSpans }) => scopeSpans.flatMap(({ spans }) => spans))
        const named = (name: string) => spans.filter((span) => span.name === name)
        const batches = new Set(named("wf7.batch").map((span) => span.spanId))
        expect(named("wf7.page")).toHaveLength(urls.length)
        expect(named("wf7.page").every((span) => batches.has(span.parentSpanId ?? ""))).toBe(true)
        for (const name of ["wf7.fetch", "wf7.extract", "wf7.save"])
          expect(named(name)).toHaveLength(urls.length)
        expect(named("sql.execute").length).toBeGreaterThan(urls.length)

        const bytes = Buffer.concat(collector.bodies).toString("utf8")
        expect(bytes).not.toContain(KEY)
        expect(bytes).not.toContain(encodeURIComponent(KEY))
        expect(output()).not.toContain(KEY)
        // Scrapes leave no access log line (the API's own requests do).
        expect(output()).not.toContain("/metrics")
      }).pipe(Effect.provide(world)),
  )
})
