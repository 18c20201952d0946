import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type * as http from "node:http"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { ScraperAccount } from "../../src/Fetch/ScraperAccount.js"
import { makeScraperApiFetcher, ScraperHttpLive } from "../../src/Fetch/ScraperApi.js"
import { FetchGate } from "../../src/Fetch/FetchGate.js"
import { PageFetcherLive } from "../../src/Fetch/Fetching.js"
import { Slots } from "../../src/Processing/Slots.js"
import { FleetLive } from "../../src/Processing/Worker.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import { stubServer } from "../support/StubServer.js"
import { configFrom } from "../support/TestConfig.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

const CONCURRENCY = 30

/** A ScraperAPI that answers nothing until CONCURRENCY requests are in flight at once, then all. */
const waveProxy = Effect.gen(function* () {
  const held: Array<http.ServerResponse> = []
  const stub = yield* stubServer((_request, response) => {
    held.push(response)
    if (held.length < CONCURRENCY) return
    for (const waiting of held.splice(0)) {
      waiting.writeHead(200, { "content-type": "text/html" })
      waiting.end("<p>ok</p>")
    }
  })
  let connections = 0
  stub.server.on("connection", () => connections++)
  return { url: stub.url, connections: () => connections }
})

const fetcherLayer = PageFetcherLive.pipe(
  Layer.provide(FetchGate.Default.pipe(Layer.provide(FleetLive))),
  Layer.provide(ScraperAccount.Default),
  Layer.provide(ScraperHttpLive),
  Layer.provide(Slots.Default),
)

const warningsOf = (env: Record<string, string>) =>
  Effect.gen(function* () {
    const lines: Array<LogLine> = []
    yield* collectLogs(Layer.build(fetcherLayer), lines).pipe(
      Effect.provide(configFrom({ SCRAPER_API_KEY: "sk-test", ...env })),
    )
    return lines.filter((line) => line.level === "WARN").map((line) => line.message)
  })

// One database for the file: each start-up below registers its fleet node on it.
it.layer(TestDatabaseLive)("connection limits", (it) => {
  it.scoped("the ScraperAPI pool opens a connection per page in flight, past HTTP_CONNECTIONS_PER_HOST", () =>
    Effect.gen(function* () {
      const proxy = yield* waveProxy
      const layer = Layer.scoped(PageFetcher, makeScraperApiFetcher).pipe(
        Layer.provide(ScraperHttpLive),
        Layer.provideMerge(
          configFrom({
            SCRAPER_API_KEY: "sk-test",
            SCRAPER_API_BASE_URL: proxy.url,
            SCRAPER_API_MAX_CONCURRENT: String(CONCURRENCY),
            HTTP_CONNECTIONS_PER_HOST: "20",
            HTTP_CONNECTION_POOL_SIZE: "10",
          }),
        ),
      )
      const fetcher = yield* Effect.provide(PageFetcher, yield* Layer.build(layer))
      const pages = yield* Effect.forEach(
        Array.from({ length: CONCURRENCY }, (_, index) => `https://site${index}.example/contact`),
        (url) => fetcher.fetch(url),
        { concurrency: "unbounded" },
      )
      expect(pages).toHaveLength(CONCURRENCY)
      expect(proxy.connections()).toBe(CONCURRENCY)
    }),
  )

  it.scoped("start-up warns once per limit that another caps, with the value in effect", () =>
    Effect.gen(function* () {
      const warnings = yield* warningsOf({
        WF7_FETCH_MODE: "direct",
        SCRAPER_API_MAX_CONCURRENT: "100",
        HTTP_CONNECTION_POOL_SIZE: "50",
        HTTP_CONNECTIONS_PER_HOST: "80",
      })
      expect(warnings).toEqual([
        "HTTP_CONNECTIONS_PER_HOST=80 is capped by HTTP_CONNECTION_POOL_SIZE=50: at most 50 connections to one site",
        "SCRAPER_API_MAX_CONCURRENT=100 is capped by HTTP_CONNECTION_POOL_SIZE=50 when fetching directly: at most 50 pages fetched at once",
      ])
    }),
  )

  it.scoped("no warning when the limits agree, nor for HTTP_* limits in ScraperAPI mode", () =>
    Effect.gen(function* () {
      expect(yield* warningsOf({ WF7_FETCH_MODE: "direct", SCRAPER_API_MAX_CONCURRENT: "50" })).toEqual([])
      expect(
        yield* warningsOf({ SCRAPER_API_MAX_CONCURRENT: "100", HTTP_CONNECTIONS_PER_HOST: "80" }),
      ).toEqual([])
    }),
  )
})
