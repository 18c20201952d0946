import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Metric } from "effect"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { makeScraperApiFetcher, ScraperHttpLive } from "../../src/Fetch/ScraperApi.js"
import { scraperCredits, scraperRequests } from "../../src/Observability/Metrics.js"
import { configFrom } from "../support/TestConfig.js"
import { stubServer } from "../support/StubServer.js"
import { textOf } from "../support/Bodies.js"

const KEY = "sk-live-4f9a8c2e7d"

/** ScraperAPI-shaped answers keyed by the target URL's path. */
const proxy = stubServer((request, response) => {
  const params = new URL(request.url ?? "/", "http://proxy").searchParams
  const target = new URL(params.get("url") ?? "http://x/")
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers })
    response.end(body)
  }
  // An upstream that echoes the request it got, in the form it came over the wire.
  if (target.pathname === "/echo") return send(500, `Request failed: ${request.url}`)
  if (params.get("api_key") !== KEY) return send(403, `Invalid API key ${params.get("api_key")}`)
  switch (target.pathname) {
    case "/ok":
      return send(200, `<p>render=${params.get("render")} caf\u00e9</p>`)
    case "/priced":
      return send(200, "<p>protected</p>", { "sa-credit-cost": params.get("render") === "true" ? "35" : "6" })
    case "/gone-priced":
      return send(404, "not found", { "sa-credit-cost": "1" })
    case "/too-dear":
      return send(
        403,
        "This request exceeds your max_cost. You can view the cost per request in your response header.",
      )
    case "/latin1":
      response.writeHead(200, { "content-type": "text/html; charset=iso-8859-1" })
      return response.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    case "/big":
      return send(200, "x".repeat(5000))
    case "/gone":
      return send(404, "not found")
    case "/removed":
      return send(410, "gone")
    case "/limited":
      return send(429, "Too many concurrent requests", { "retry-after": "7" })
    case "/limited-long":
      return send(429, "Too many concurrent requests", { "retry-after": "999999" })
    case "/broken":
      return send(500, `Request failed (api_key=${KEY})`)
    case "/credits":
      return send(403, "You have exhausted the API Credits available in this monthly cycle.")
    case "/bad":
      return send(400, "bad request")
    case "/reset":
      return request.socket.destroy()
    default:
      return send(418, "teapot")
  }
})

const fetcherFor = (baseUrl: string, env: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const layer = Layer.scoped(PageFetcher, makeScraperApiFetcher).pipe(
      Layer.provide(ScraperHttpLive),
      Layer.provideMerge(
        configFrom({
          SCRAPER_API_KEY: KEY,
          SCRAPER_API_BASE_URL: baseUrl,
          WF7_MAX_PAGE_BYTES: "4096",
          ...env,
        }),
      ),
    )
    const context = yield* Layer.build(layer)
    return yield* Effect.provide(PageFetcher, context)
  })

describe("ScraperAPI fetcher over real HTTP", () => {
  it.scoped(
    "fetches through the proxy with the key, max_cost and the page's charset, plain unless asked to render",
    () =>
      Effect.gen(function* () {
        const server = yield* proxy
        const fetcher = yield* fetcherFor(server.url)
        const page = yield* fetcher.fetch("https://shop.example/ok")
        expect(page).toMatchObject({ credits: 1, rendered: false })
        expect(textOf(page)).toBe("<p>render=null caf\u00e9</p>")
        expect(page.url).toBe("https://shop.example/ok")
        const rendered = yield* fetcher.fetch("https://shop.example/ok", { render: true })
        expect(rendered).toMatchObject({ credits: 10, rendered: true })
        expect(textOf(rendered)).toBe("<p>render=true caf\u00e9</p>")
        expect(textOf(yield* fetcher.fetch("https://shop.example/latin1"))).toBe("caf\u00e9")
        const sent = new URL(server.requests[0]!, server.url).searchParams
        expect(sent.get("url")).toBe("https://shop.example/ok")
        expect(sent.get("api_key")).toBe(KEY)
        expect(sent.get("max_cost")).toBe("25")
      }),
  )

  it.scoped(
    "WF7_RENDER=always renders by default; SCRAPER_API_RENDER still works, and WF7_RENDER wins over it",
    () =>
      Effect.gen(function* () {
        const server = yield* proxy
        const html = (env: Record<string, string>) =>
          Effect.flatMap(fetcherFor(server.url, env), (fetcher) =>
            Effect.map(fetcher.fetch("https://shop.example/ok"), textOf),
          )
        expect(yield* html({ WF7_RENDER: "always" })).toContain("render=true")
        expect(yield* html({ SCRAPER_API_RENDER: "true" })).toContain("render=true")
        expect(yield* html({ SCRAPER_API_RENDER: "false" })).toContain("render=null")
        expect(yield* html({ SCRAPER_API_RENDER: "true", WF7_RENDER: "never" })).toContain("render=null")
        const maxCost = new URL(server.requests.at(-1)!, server.url).searchParams.get("max_cost")
        expect(maxCost).toBe("25")
        expect(yield* html({ WF7_MAX_CREDITS_PER_REQUEST: "12" })).toContain("render=null")
        expect(new URL(server.requests.at(-1)!, server.url).searchParams.get("max_cost")).toBe("12")
      }),
  )

  it.scoped("reads each answer's sa-credit-cost, capped at max_cost; a billed 404 carries its cost", () =>
    Effect.gen(function* () {
      const server = yield* proxy
      const fetcher = yield* fetcherFor(server.url)
      expect((yield* fetcher.fetch("https://shop.example/priced")).credits).toBe(6)
      expect((yield* fetcher.fetch("https://shop.example/priced", { render: true })).credits).toBe(25)
      const gone = yield* Effect.flip(fetcher.fetch("https://shop.example/gone-priced", { render: true }))
      expect(gone).toMatchObject({ _tag: "PageGone", credits: 1 })
      const unpriced = yield* Effect.flip(fetcher.fetch("https://shop.example/gone", { render: true }))
      expect(unpriced).toMatchObject({ _tag: "PageGone", credits: 10 })
    }),
  )

  it.scoped(
    "a request refused for its max_cost fails that page (BadRequest), it does not pause fetching",
    () =>
      Effect.gen(function* () {
        const server = yield* proxy
        const fetcher = yield* fetcherFor(server.url)
        const error = yield* Effect.flip(fetcher.fetch("https://shop.example/too-dear"))
        expect(error).toMatchObject({ _tag: "BadRequest", status: 403 })
      }),
  )

  it.scoped.each([
    ["/gone", "PageGone"],
    ["/removed", "PageGone"],
    ["/limited", "RateLimited"],
    ["/broken", "UpstreamFailed"],
    ["/credits", "CreditsExhausted"],
    ["/bad", "BadRequest"],
    ["/reset", "TransportError"],
    ["/big", "PageTooLarge"],
  ])("%s ends as %s, and no error mentions the key", ([path, tag]) =>
    Effect.gen(function* () {
      const server = yield* proxy
      const fetcher = yield* fetcherFor(server.url)
      const error = yield* Effect.flip(fetcher.fetch(`https://shop.example${path}`))
      expect(error._tag).toBe(tag)
      expect(JSON.stringify(error)).not.toContain(KEY)
      expect(error.message).not.toContain(KEY)
      expect(String(error)).not.toContain(KEY)
      if (error._tag === "RateLimited") expect(Duration.toMillis(error.retryAfter!)).toBe(7000)
    }),
  )

  it.scoped("a refused key is CreditsExhausted and its echo in the body is redacted", () =>
    Effect.gen(function* () {
      const server = yield* proxy
      const wrong = yield* fetcherFor(server.url, { SCRAPER_API_KEY: "sk-wrong-0000" })
      const error = yield* Effect.flip(wrong.fetch("https://shop.example/ok"))
      expect(error._tag).toBe("CreditsExhausted")
      expect(error.message).toBe("ScraperAPI answered 403: Invalid API key [redacted]")
    }),
  )

  it.scoped("a key whose encodings differ is masked in each of them, the wire's form-encoding too", () =>
    Effect.gen(function* () {
      const server = yield* proxy
      const key = "sk live+key/~!*'()"
      const fetcher = yield* fetcherFor(server.url, { SCRAPER_API_KEY: key })
      const error = yield* Effect.flip(fetcher.fetch("https://shop.example/echo"))
      expect(error.message).toMatch(/^ScraperAPI answered 500: Request failed: \/\?api_key=\[redacted\]&url=/)
      const wire = new URLSearchParams({ k: key }).toString().slice(2)
      for (const form of [key, encodeURIComponent(key), wire, wire.toLowerCase()]) {
        expect(error.message).not.toContain(form)
      }
    }),
  )

  it.scoped("ScraperAPI's Retry-After is capped at WF7_MAX_RETRY_AFTER_SECONDS too", () =>
    Effect.gen(function* () {
      const server = yield* proxy
      const fetcher = yield* fetcherFor(server.url)
      const error = yield* Effect.flip(fetcher.fetch("https://shop.example/limited-long"))
      expect(error._tag === "RateLimited" && error.retryAfter && Duration.toSeconds(error.retryAfter)).toBe(
        120,
      )
      expect(error._tag === "RateLimited" && error.site).toBeUndefined()
    }),
  )

  it.scoped("counts what each attempt spent and how it ended: credits by render, a lost connection", () =>
    Effect.gen(function* () {
      const server = yield* proxy
      const fetcher = yield* fetcherFor(server.url)
      const count = (metric: typeof scraperRequests, key: string, value: string) =>
        Effect.map(Metric.value(Metric.tagged(metric, key, value)), (state) => state.count)
      const counts = Effect.all([
        count(scraperCredits, "render", "false"),
        count(scraperCredits, "render", "true"),
        count(scraperRequests, "status", "transport"),
      ])
      const before = yield* counts
      yield* fetcher.fetch("https://shop.example/priced")
      yield* Effect.flip(fetcher.fetch("https://shop.example/gone-priced", { render: true }))
      yield* Effect.flip(fetcher.fetch("https://shop.example/reset"))
      const after = yield* counts
      expect(after.map((value, i) => value - before[i]!)).toEqual([6, 1, 1])
    }),
  )

  it.scoped("a dead upstream is a TransportError, not a crash", () =>
    Effect.gen(function* () {
      const fetcher = yield* fetcherFor("http://127.0.0.1:9/")
      const error = yield* Effect.flip(fetcher.fetch("https://shop.example/ok"))
      expect(error._tag).toBe("TransportError")
      expect(error.message).toContain("ECONNREFUSED")
    }),
  )
})
