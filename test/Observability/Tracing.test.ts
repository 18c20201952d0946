import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { Effect } from "effect"
import { tracingWith } from "../../src/Observability/Tracing.js"
import { Curation } from "../../src/Pages/Curation.js"
import { Engine } from "../../src/Processing/Engine.js"
import { Sandbox } from "../../src/Sandbox/index.js"
import { sandboxEngine } from "../support/SandboxEngine.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * The span tree of a drain through the real ScraperAPI fetcher and the simulator, caught by an
 * in-memory exporter: wf7.batch → wf7.page → wf7.fetch / wf7.extract / wf7.save; pages are saved in
 * groups, so a page's wf7.save is linked from its group's wf7.saveGroup, with the SQL below that.
 */

const KEY = "trace-key-5f3a9c1e77b2d0aa"
const exporter = new InMemorySpanExporter()
const tracing = tracingWith("wf7-test", () => new SimpleSpanProcessor(exporter))

// 500s on some attempts (retried), a 404 on one page; sequential, so the seeded draws repeat. The
// simulator is ScraperAPI's side: it sees the key, and is kept out of the traced scope.
const simulator = Sandbox.layer({
  apiKey: KEY,
  sites: 4,
  seed: 11,
  errorRate: 0.35,
  latency: { _tag: "Fixed", ms: 2 },
})

const id = (span: ReadableSpan) => span.spanContext().spanId

/** Everything an exporter could send of the spans, as text. */
const exportable = (spans: ReadonlyArray<ReadableSpan>) =>
  JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      links: span.links,
      resource: span.resource.attributes,
      scope: span.instrumentationScope,
    })),
  )

describe("traces", () => {
  it.live(
    "a drained page is a wf7.page span under wf7.batch, with fetch, extract and save; its group's save links it",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const urls = sandbox.corpus.urls.slice(0, 8)
        const gone = urls[0]!
        yield* sandbox.update({ notFound: [gone] })
        yield* (yield* Curation).importUrls(urls, { select: true })
        yield* (yield* Engine).run(true)

        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ id: string; url: string; status: string; error: string | null }>`
        SELECT id, url, page_processing_status AS status, page_processing_error AS error FROM pages`
        const spans = exporter.getFinishedSpans()
        const children = (parent: ReadableSpan, name: string) =>
          spans.filter((span) => span.parentSpanContext?.spanId === id(parent) && span.name === name)
        const below = (parent: ReadableSpan): Array<ReadableSpan> =>
          spans
            .filter((span) => span.parentSpanContext?.spanId === id(parent))
            .flatMap((child) => [child, ...below(child)])
        const requests = (yield* sandbox.stats).perTarget

        const pages = spans.filter((span) => span.name === "wf7.page")
        expect(pages).toHaveLength(urls.length)
        let retries = 0
        for (const row of rows) {
          const page = pages.find((span) => span.attributes["page.id"] === row.id)!
          const batch = spans.find((span) => id(span) === page.parentSpanContext?.spanId)
          expect(batch?.name).toBe("wf7.batch")
          expect(page.attributes).toMatchObject({
            "page.host": new URL(row.url).host,
            "page.attempt": 1,
            "page.outcome": row.status === "Complete" ? "complete" : "error",
          })
          const [fetch, ...more] = children(page, "wf7.fetch")
          expect(more).toEqual([])
          const status = row.status === "Complete" ? "200" : row.error!.startsWith("PageGone") ? "404" : "500"
          expect(fetch!.attributes).toMatchObject({
            "url.full": row.url,
            "fetch.status": status,
            "fetch.retries": requests.get(row.url)! - 1,
          })
          const shown = new URL(String(fetch!.attributes["fetch.request_url"]))
          expect(shown.searchParams.get("url")).toBe(row.url)
          expect(shown.searchParams.has("api_key")).toBe(false)
          retries += Number(fetch!.attributes["fetch.retries"])
          if (row.status !== "Complete") {
            // Its `Error` is written by the save stage too.
            expect(children(page, "wf7.save")).toHaveLength(1)
            continue
          }
          const expected = sandbox.corpus.pages.find((sample) => sample.url === row.url)!.expected
          expect(children(page, "wf7.extract")[0]!.attributes).toMatchObject({
            "extract.emails": expected.emails.length,
            "extract.phones": expected.phones.length,
            "extract.socials": expected.socials.length,
          })
          const [save] = children(page, "wf7.save")
          const group = spans.find(
            (span) =>
              span.name === "wf7.saveGroup" && span.links.some((link) => link.context.spanId === id(save!)),
          )
          expect(below(group!).some((span) => span.name === "sql.execute")).toBe(true)
        }
        expect(rows.find((row) => row.url === gone)?.error).toMatch(/^PageGone/)
        expect(retries).toBeGreaterThan(0)

        const text = exportable(spans)
        expect(text).toContain("wf7.fetch")
        expect(text).not.toContain(KEY)
        expect(text).not.toContain(encodeURIComponent(KEY))
      }).pipe(
        Effect.provide(sandboxEngine(KEY)),
        Effect.provide(TestDatabaseLive),
        Effect.provide(tracing),
        Effect.provide(simulator),
      ),
  )
})
