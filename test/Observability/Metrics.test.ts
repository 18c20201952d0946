import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Schedule } from "effect"
import { createServer } from "node:http"
import { MetricsRouteLive } from "../../src/Observability/Prometheus.js"
import { sampleProcess, sampleQueue } from "../../src/Observability/Sampler.js"
import { Curation } from "../../src/Pages/Curation.js"
import { Engine } from "../../src/Processing/Engine.js"
import { Sandbox } from "../../src/Sandbox/index.js"
import { sandboxEngine } from "../support/SandboxEngine.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * `GET /metrics` after a drain through the real ScraperAPI fetcher and the simulator: the counts
 * match the database and what the simulator saw.
 */

const KEY = "metrics-key-0c7e55d1a9f3b2"

const simulator = Sandbox.layer({
  apiKey: KEY,
  sites: 4,
  seed: 5,
  concurrencyLimit: 2,
  retryAfterSeconds: 0,
  errorRate: 0.2,
  latency: { _tag: "Fixed", ms: 2 },
})

/** `/metrics` exactly as the daemon mounts it, on a Node server of its own. */
const metricsServer = HttpApiBuilder.Router.serve().pipe(
  Layer.provide(MetricsRouteLive),
  Layer.provide(HttpApiBuilder.Router.Live),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0 })),
)

const world = metricsServer.pipe(
  Layer.provideMerge(
    sandboxEngine(KEY, { WF7_ENABLE_CONCURRENT_PROCESSING: "true", SCRAPER_API_MAX_CONCURRENT: "2" }),
  ),
  Layer.provideMerge(simulator),
  Layer.provideMerge(TestDatabaseLive),
)

const scrapeOutside = (baseUrl: string, target: string) =>
  Effect.promise(() =>
    fetch(`${baseUrl}?api_key=${KEY}&url=${encodeURIComponent(target)}`).then((r) => r.text()),
  )

const getMetrics = Effect.gen(function* () {
  const address = (yield* HttpServer.HttpServer).address
  const port = address._tag === "TcpAddress" ? address.port : 0
  const response = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/metrics`))
  return { type: response.headers.get("content-type"), text: yield* Effect.promise(() => response.text()) }
})

/** The sum of the series of `name` carrying all of `labels`. */
const sample = (text: string, name: string, labels: Record<string, string> = {}) =>
  text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0)

describe("metrics", () => {
  it.live("/metrics after a drain over the simulator reports what the database and the simulator hold", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const urls = sandbox.corpus.urls
      yield* sandbox.update({ notFound: [urls[1]!] })
      yield* (yield* Curation).importUrls(urls, { select: true })
      yield* sampleQueue
      const queued = (yield* getMetrics).text
      expect(sample(queued, "wf7_queue_depth", { status: "Queued" })).toBe(urls.length)
      expect(sample(queued, "wf7_queue_depth", { status: "Processing" })).toBe(0)
      // Two requests from elsewhere fill the plan's two slots, so the engine's first attempts get 429s.
      yield* sandbox.hold
      const outside = yield* Effect.fork(
        Effect.all([scrapeOutside(sandbox.baseUrl, urls[0]!), scrapeOutside(sandbox.baseUrl, urls[0]!)], {
          concurrency: 2,
        }),
      )
      yield* sandbox.awaitInFlight(2)
      const drain = yield* Effect.fork((yield* Engine).run(true))
      yield* sandbox.stats.pipe(
        Effect.repeat({
          schedule: Schedule.spaced("10 millis"),
          until: (stats) => (stats.perOutcome["429"] ?? 0) > 0,
        }),
      )
      yield* sandbox.release
      expect(yield* Fiber.join(drain)).toBe("idle")
      yield* Fiber.join(outside)

      yield* Effect.all([sampleQueue, sampleProcess])
      const { type, text } = yield* getMetrics
      expect(type).toMatch(/^text\/plain; version=0\.0\.4/)
      const sql = yield* SqlClient.SqlClient
      const [db] = yield* sql<Record<string, number>>`
        SELECT (SELECT count(*)::int FROM pages WHERE page_processing_status = 'Complete') AS complete,
               (SELECT count(*)::int FROM pages WHERE page_processing_status = 'Error') AS error,
               (SELECT count(*)::int FROM contacts WHERE email IS NOT NULL) AS email,
               (SELECT count(*)::int FROM contacts WHERE phone IS NOT NULL) AS phone,
               (SELECT count(*)::int FROM social_profiles) AS social`
      expect(db!.complete! + db!.error!).toBe(urls.length)
      expect(db!.error).toBeGreaterThan(0)
      const pages = "wf7_pages_processed_total"
      expect(sample(text, pages, { outcome: "complete" })).toBe(db!.complete)
      expect(sample(text, pages, { outcome: "error" })).toBe(db!.error)
      expect(sample(text, pages, { outcome: "complete", mode: "concurrent" })).toBe(db!.complete)
      for (const kind of ["email", "phone", "social"]) {
        expect(sample(text, "wf7_contacts_created_total", { kind })).toBe(db![kind])
      }
      expect(sample(text, "wf7_selection_to_complete_seconds_count")).toBe(db!.complete)

      const seen = yield* sandbox.stats
      const engineRequests = seen.requests - 2
      const answered = (status: string) => sample(text, "wf7_scraper_requests_total", { status })
      expect(answered("200")).toBe(seen.perOutcome["200"]! - 2)
      expect(answered("404")).toBe(seen.perOutcome["404"])
      expect(answered("429")).toBe(seen.perOutcome["429"])
      expect(answered("500")).toBe(seen.perOutcome["500"] ?? 0)
      expect(sample(text, "wf7_scraper_rate_limit_errors_total")).toBe(seen.perOutcome["429"])
      // Credits: what the simulator charged the engine (the two outside requests cost 1 each).
      expect(sample(text, "wf7_scraper_credits_total", { render: "false" })).toBe(seen.creditsUsed - 2)
      expect(sample(text, "wf7_scraper_credits_total", { render: "true" })).toBe(0)
      expect(sample(text, "wf7_render_decisions_total", { fetch: "plain" })).toBe(urls.length)
      expect(sample(text, "wf7_fetch_duration_seconds_count")).toBe(engineRequests)
      expect(sample(text, "wf7_batch_duration_seconds_count")).toBeGreaterThan(0)

      // Every scrape plus the /account probes went through the pool; keep-alive reused most connections.
      const requests = sample(text, "wf7_http_requests_total")
      const opened = sample(text, "wf7_http_connections_opened_total")
      expect(requests).toBeGreaterThan(engineRequests)
      expect(opened).toBeGreaterThan(0)
      expect(sample(text, "wf7_http_connection_reuse_ratio")).toBeCloseTo(1 - opened / requests, 10)
      expect(sample(text, "wf7_http_connection_reuse_ratio")).toBeGreaterThan(0.5)
      expect(sample(text, "wf7_queue_depth", { status: "Queued" })).toBe(0)
      expect(sample(text, "wf7_in_flight_pages")).toBe(0)
      expect(sample(text, "wf7_effective_concurrency")).toBe(
        (yield* (yield* Engine).status).effectiveConcurrency,
      )
      const pool = (state: string) => sample(text, "wf7_db_pool_connections", { state })
      expect(pool("total")).toBeGreaterThan(0)
      expect(pool("total")).toBeLessThanOrEqual(5)
      expect(pool("idle")).toBeLessThanOrEqual(pool("total"))
      expect(pool("waiting")).toBe(0)
      expect(text).toContain("# TYPE wf7_pages_processed_total counter")
      expect(text).toContain("# TYPE wf7_fetch_duration_seconds histogram")
      expect(text).not.toContain(KEY)
    }).pipe(Effect.provide(world)),
  )
})
