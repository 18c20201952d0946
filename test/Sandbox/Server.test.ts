import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { Latency, Sandbox, type SandboxHandle } from "../../src/Sandbox/index.js"

/** One ScraperAPI call over real HTTP, as the daemon makes it. */
const scrape = (
  sandbox: SandboxHandle,
  target: string,
  options: { readonly key?: string; readonly signal?: AbortSignal; readonly render?: boolean } = {},
) =>
  Effect.tryPromise({
    try: async () => {
      const query = new URLSearchParams({
        api_key: options.key ?? sandbox.apiKey,
        url: target,
        ...(options.render === true ? { render: "true" } : {}),
      })
      const response = await fetch(
        `${sandbox.baseUrl}?${query}`,
        options.signal ? { signal: options.signal } : {},
      )
      return { status: response.status, headers: response.headers, body: await response.text() }
    },
    catch: (error) => error as Error,
  })

const account = (sandbox: SandboxHandle, key = sandbox.apiKey) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.baseUrl}account?api_key=${encodeURIComponent(key)}`)
    return { status: response.status, body: await response.text() }
  })

describe("Sandbox over HTTP", () => {
  it.scopedLive("serves a sample page with its known contacts, and bills it", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 6 })
      expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const page = sandbox.corpus.pages[0]!
      const response = yield* scrape(sandbox, page.url)
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8")
      for (const email of page.expected.emails) expect(response.body).toContain(email)
      for (const phone of page.expected.phones) expect(response.body).toContain(`href="tel:${phone}"`)
      for (const social of page.expected.socials) expect(response.body).toContain(`href="${social.url}"`)
      const stats = yield* sandbox.stats
      expect(stats.creditsUsed).toBe(1)
      expect(stats.perTarget.get(page.url)).toBe(1)
      expect(stats.perOutcome).toEqual({ "200": 1 })
    }),
  )

  it.scopedLive("answers 404 for unknown targets and configured paths, billed like the real service", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 6 })
      const [first, second] = sandbox.corpus.pages
      yield* sandbox.update({ notFound: [new URL(first!.url).pathname, second!.url] })
      const unknown = yield* scrape(sandbox, "https://not-a-sample.example.org/contact")
      const byPath = yield* scrape(sandbox, first!.url)
      const byUrl = yield* scrape(sandbox, second!.url)
      expect([unknown.status, byPath.status, byUrl.status]).toEqual([404, 404, 404])
      const stats = yield* sandbox.stats
      expect(stats.creditsUsed).toBe(3)
      expect(stats.perOutcome).toEqual({ "404": 3 })
    }),
  )

  it.scopedLive("refuses a wrong or missing key with 403, unbilled, and a missing url with 400", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 2, apiKey: "right-key" })
      const target = sandbox.corpus.urls[0]!
      const wrong = yield* scrape(sandbox, target, { key: "wrong-key" })
      expect(wrong.status).toBe(403)
      expect(wrong.body).toContain("Invalid API key")
      expect((yield* scrape(sandbox, target, { key: "" })).status).toBe(403)
      expect((yield* scrape(sandbox, "not a url")).status).toBe(400)
      expect((yield* account(sandbox, "wrong-key")).status).toBe(403)
      expect((yield* sandbox.stats).creditsUsed).toBe(0)
    }),
  )

  it.scopedLive("answers 403 once the credit budget is spent, until it is raised", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 2, credits: 2 })
      const target = sandbox.corpus.urls[0]!
      expect((yield* scrape(sandbox, target)).status).toBe(200)
      expect((yield* scrape(sandbox, "https://gone.example.net/")).status).toBe(404)
      const refused = yield* scrape(sandbox, target)
      expect(refused.status).toBe(403)
      expect(refused.body).toContain("You have exhausted the API Credits available in this monthly cycle")
      expect(JSON.parse((yield* account(sandbox)).body)).toMatchObject({ requestCount: 2, requestLimit: 2 })
      yield* sandbox.update({ credits: 3 })
      expect((yield* scrape(sandbox, target)).status).toBe(200)
    }),
  )

  it.scopedLive(
    "charges 1 credit plain and 10 rendered, says so in sa-credit-cost, and refuses over max_cost",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox.start({ sites: 2, credits: 21 })
        const target = sandbox.corpus.urls[0]!
        const plainAnswer = yield* scrape(sandbox, target)
        expect(plainAnswer.headers.get("sa-credit-cost")).toBe("1")
        const rendered = yield* scrape(sandbox, target, { render: true })
        expect(rendered.headers.get("sa-credit-cost")).toBe("10")
        const gone = yield* scrape(sandbox, "https://gone.example.net/", { render: true })
        expect([gone.status, gone.headers.get("sa-credit-cost")]).toEqual([404, "10"])
        expect(JSON.parse((yield* account(sandbox)).body)).toMatchObject({
          requestCount: 21,
          requestLimit: 21,
        })
        yield* sandbox.update({ credits: 1000 })
        const query = new URLSearchParams({
          api_key: sandbox.apiKey,
          url: target,
          render: "true",
          max_cost: "5",
        })
        const dear = yield* Effect.promise(() => fetch(`${sandbox.baseUrl}?${query}`))
        expect(dear.status).toBe(403)
        expect(yield* Effect.promise(() => dear.text())).toContain("exceeds your max_cost")
        expect((yield* sandbox.stats).creditsUsed).toBe(21)
      }),
  )

  it.scopedLive("a protected site costs its bypass fee on top, which max_cost counts", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 10, protectedShare: 0.2 })
      const guarded = sandbox.corpus.pages.filter((page) => page.site.protected)
      expect(new Set(guarded.map((page) => page.site.index))).toEqual(new Set([2, 7]))
      const target = guarded[0]!.url
      expect((yield* scrape(sandbox, target)).headers.get("sa-credit-cost")).toBe("11")
      expect((yield* scrape(sandbox, target, { render: true })).headers.get("sa-credit-cost")).toBe("20")
      const query = new URLSearchParams({
        api_key: sandbox.apiKey,
        url: target,
        render: "true",
        max_cost: "15",
      })
      expect((yield* Effect.promise(() => fetch(`${sandbox.baseUrl}?${query}`))).status).toBe(403)
      expect((yield* sandbox.stats).creditsUsed).toBe(31)
    }),
  )

  it.scopedLive("a script-built site shows its app shell plain and its contacts only rendered", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 10, jsShare: 0.2 })
      const scripted = sandbox.corpus.pages.filter((page) => page.site.scripted)
      expect(new Set(scripted.map((page) => page.site.index))).toEqual(new Set([4, 9]))
      const page = scripted[0]!
      const plainAnswer = yield* scrape(sandbox, page.url)
      expect(plainAnswer.body).toContain('<div id="root"></div>')
      for (const email of page.expected.emails) expect(plainAnswer.body).not.toContain(email)
      const rendered = yield* scrape(sandbox, page.url, { render: true })
      for (const email of page.expected.emails) expect(rendered.body).toContain(email)
      const staticPage = sandbox.corpus.pages.find((candidate) => !candidate.site.scripted)!
      for (const email of staticPage.expected.emails) {
        expect((yield* scrape(sandbox, staticPage.url)).body).toContain(email)
      }
    }),
  )

  it.scopedLive("answers 429 with Retry-After beyond the concurrency limit, without billing it", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 3, concurrencyLimit: 2, retryAfterSeconds: 7 })
      const [a, b, c] = sandbox.corpus.urls
      yield* sandbox.hold
      const held = yield* Effect.fork(
        Effect.all([scrape(sandbox, a!), scrape(sandbox, b!)], { concurrency: 2 }),
      )
      yield* sandbox.awaitInFlight(2)
      const limited = yield* scrape(sandbox, c!)
      expect(limited.status).toBe(429)
      expect(limited.headers.get("retry-after")).toBe("7")
      expect(JSON.parse((yield* account(sandbox)).body)).toEqual({
        concurrencyLimit: 2,
        concurrentRequests: 2,
        requestCount: 0,
        requestLimit: 1_000_000,
        failedRequestCount: 0,
      })
      yield* sandbox.release
      const answers = yield* Fiber.join(held)
      expect(answers.map((answer) => answer.status)).toEqual([200, 200])
      const stats = yield* sandbox.stats
      expect(stats).toMatchObject({ requests: 3, inFlight: 0, maxInFlight: 2, creditsUsed: 2 })
      expect(stats.perOutcome).toEqual({ "200": 2, "429": 1 })
    }),
  )

  it.scopedLive("records the most requests it ever had in flight", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 8, concurrencyLimit: 10 })
      const targets = sandbox.corpus.urls.slice(0, 5)
      yield* sandbox.hold
      const held = yield* Effect.fork(
        Effect.forEach(targets, (url) => scrape(sandbox, url), { concurrency: 5 }),
      )
      yield* sandbox.awaitInFlight(5)
      yield* sandbox.release
      expect((yield* Fiber.join(held)).every((answer) => answer.status === 200)).toBe(true)
      expect(yield* sandbox.stats).toMatchObject({ maxInFlight: 5, inFlight: 0, creditsUsed: 5 })
    }),
  )

  it.scopedLive("with a reset rate of 1 drops every connection without an answer or a charge", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 2, resetRate: 1 })
      const failure = yield* Effect.flip(scrape(sandbox, sandbox.corpus.urls[0]!))
      expect(failure.message).toBe("fetch failed")
      yield* sandbox.awaitIdle
      expect(yield* sandbox.stats).toMatchObject({ perOutcome: { reset: 1 }, creditsUsed: 0, failed: 1 })
    }),
  )

  it.scopedLive("with an error rate of 1 answers 500, unbilled, counted as failed", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 2, errorRate: 1 })
      expect((yield* scrape(sandbox, sandbox.corpus.urls[0]!)).status).toBe(500)
      expect(JSON.parse((yield* account(sandbox)).body)).toMatchObject({
        requestCount: 0,
        failedRequestCount: 1,
      })
    }),
  )

  it.scopedLive(
    "with a hang rate of 1 never answers; the request stays in flight until its client gives up",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox.start({ sites: 2, hangRate: 1 })
        const controller = new AbortController()
        const pending = yield* Effect.fork(Effect.flip(scrape(sandbox, sandbox.corpus.urls[0]!, controller)))
        yield* sandbox.awaitInFlight(1)
        expect(JSON.parse((yield* account(sandbox)).body)).toMatchObject({ concurrentRequests: 1 })
        controller.abort()
        expect((yield* Fiber.join(pending)).name).toBe("AbortError")
        yield* sandbox.awaitIdle
        expect(yield* sandbox.stats).toMatchObject({ perOutcome: { hang: 1 }, inFlight: 0, creditsUsed: 0 })
      }),
  )

  it.scopedLive("holds a request for its latency, and a client that gives up frees the slot", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.start({ sites: 2, latency: Latency.Fixed({ ms: 600_000 }) })
      const controller = new AbortController()
      const pending = yield* Effect.fork(Effect.flip(scrape(sandbox, sandbox.corpus.urls[0]!, controller)))
      yield* sandbox.awaitInFlight(1)
      controller.abort()
      yield* Fiber.join(pending)
      yield* sandbox.awaitIdle
      expect(yield* sandbox.stats).toMatchObject({ perOutcome: {}, creditsUsed: 0 })
    }),
  )

  it.scopedLive("draws faults from its seed, so a run can be repeated", () =>
    Effect.gen(function* () {
      const outcomes = (seed: number) =>
        Effect.scoped(
          Effect.gen(function* () {
            const sandbox = yield* Sandbox.start({ sites: 2, seed, errorRate: 0.5 })
            return yield* Effect.forEach(Array.from({ length: 16 }), () =>
              Effect.map(scrape(sandbox, sandbox.corpus.urls[0]!), (answer) => answer.status),
            )
          }),
        )
      const first = yield* outcomes(7)
      expect(yield* outcomes(7)).toEqual(first)
      expect(new Set(first)).toEqual(new Set([200, 500]))
      expect(yield* outcomes(8)).not.toEqual(first)
    }),
  )

  it.scopedLive("refuses impossible knobs", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Sandbox.start({ errorRate: 0.6, resetRate: 0.6 }))
      expect(error.message).toBe("the error, hang and reset rates must add up to at most 1")
      const sandbox = yield* Sandbox.start({ sites: 1 })
      expect((yield* Effect.flip(sandbox.update({ concurrencyLimit: 0 })))._tag).toBe("InvalidSandboxOptions")
    }),
  )
})
