import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { ServeError } from "@effect/platform/HttpServerError"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Clock, Context, Effect, Exit, Layer, Ref, type Scope, Stream, Struct, SubscriptionRef } from "effect"
import * as Http from "node:http"
import { answers, priceOf } from "./Answers.js"
import { sampleInFlight, validateSampleInterval } from "./InFlightSamples.js"
import { entered, left, loadAt, type KeyLoad, type KeyLoads } from "./KeyLoad.js"
import { sampleLatency } from "./Latency.js"
import { PageBodies } from "./PageBodies.js"
import { Rng } from "./Random.js"
import { generateCorpus, type SampleCorpus } from "./Sites.js"
import {
  admit,
  defaultKnobs,
  emptyCounters,
  InvalidSandboxOptions,
  received,
  recordOutcome,
  settle,
  statsOf,
  validateKnobs,
  validateSetup,
  type Counters,
  type SandboxKnobs,
  type SandboxOutcome,
  type SandboxStats,
} from "./State.js"

/**
 * A ScraperAPI-compatible endpoint on a local port: `GET /?api_key=…&url=…[&render=true][&max_cost=…]`
 * answers with the sample page (the app shell of a script-built site unless rendered), or with the
 * refusals and failures of the real service (403, 404, 429 + Retry-After, 500, connection reset, no
 * answer). A 200 or 404 is billed at ScraperAPI's prices and says so in `sa-credit-cost`; `GET
 * /account` reports the balance like the real one. `GET /sandbox/in-flight` (not ScraperAPI's) gives
 * the bench the sampled in-flight counts and the peak for the key.
 */

export interface SandboxOptions extends Partial<SandboxKnobs> {
  /** 0 (the default) picks a free port. */
  readonly port?: number
  readonly host?: string
  readonly apiKey?: string
  /** Number of sample sites (default 20) and the seed of both the sites and the fault draws (default 1). */
  readonly sites?: number
  readonly seed?: number
  /** Share of the sample sites built by scripts (default 0: none). */
  readonly jsShare?: number
  /** Share of the sample sites behind bot protection, billed a bypass fee (default 0: none). */
  readonly protectedShare?: number
  /** Sample the in-flight count every this many milliseconds for `/sandbox/in-flight` (default: not sampled). */
  readonly sampleInFlightMs?: number | undefined
}

export interface SandboxHandle {
  /** The server root with a trailing slash: what `SCRAPER_API_BASE_URL` should be. */
  readonly baseUrl: string
  readonly port: number
  readonly apiKey: string
  readonly corpus: SampleCorpus
  readonly stats: Effect.Effect<SandboxStats>
  /** Requests per API key: in flight, peak, and in flight over time (also `GET /__sandbox/stats?api_key=…`). */
  readonly load: (apiKey: string) => Effect.Effect<KeyLoad>
  /** Clears the counters, credits used included (a new billing cycle); requests in flight stay counted. */
  readonly resetStats: Effect.Effect<void>
  readonly knobs: Effect.Effect<SandboxKnobs>
  readonly update: (changes: Partial<SandboxKnobs>) => Effect.Effect<void, InvalidSandboxOptions>
  /** While held, admitted requests wait (in flight) before answering, until `release`. */
  readonly hold: Effect.Effect<void>
  readonly release: Effect.Effect<void>
  /** Waits until at least `count` admitted requests are in flight. */
  readonly awaitInFlight: (count: number) => Effect.Effect<void>
  /** Waits until no request is in flight (answered, reset, or given up by its client). */
  readonly awaitIdle: Effect.Effect<void>
}

const liveClock = Clock.make()
const liveNow = Clock.currentTimeMillis.pipe(Effect.withClock(liveClock))

const knobNames = Object.keys(defaultKnobs) as Array<keyof SandboxKnobs>

/** The first value of a query parameter (repeated parameters arrive as an array). */
const param = (name: string) =>
  Effect.map(HttpServerRequest.ParsedSearchParams, (params) => {
    const value = params[name]
    return typeof value === "string" ? value : value?.[0]
  })

const targetOf = (raw: string | undefined): string | undefined => {
  try {
    const url = new URL(raw ?? "")
    url.hash = ""
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined
  } catch {
    return undefined
  }
}

const make = (options: SandboxOptions) =>
  Effect.gen(function* () {
    const {
      port: requestedPort = 0,
      host = "127.0.0.1",
      apiKey = "sandbox-key",
      sites = 20,
      seed = 1,
      jsShare = 0,
      protectedShare = 0,
      sampleInFlightMs,
    } = options
    const initial: SandboxKnobs = { ...defaultKnobs, ...Struct.pick(options, ...knobNames) }
    yield* validateKnobs(initial)
    yield* validateSetup(requestedPort, sites, jsShare, protectedShare)
    if (sampleInFlightMs !== undefined) yield* validateSampleInterval(sampleInFlightMs)
    const corpus = generateCorpus({ sites, seed, jsShare, protectedShare })
    const bodies = new PageBodies()
    const knobs = yield* Ref.make(initial)
    const counters = yield* SubscriptionRef.make(emptyCounters())
    const loads = yield* Ref.make<KeyLoads>(new Map())
    const gate = yield* Effect.makeLatch(true)
    const rng = new Rng(seed, 0xfa017)

    const awaitCounters = (done: (c: Counters) => boolean) =>
      counters.changes.pipe(Stream.takeUntil(done), Stream.runDrain)

    const answered = (outcome: SandboxOutcome) =>
      SubscriptionRef.update(counters, (c) => recordOutcome(c, outcome))

    const serveAdmitted = (target: string, current: SandboxKnobs, render: boolean, cost: number) =>
      Effect.gen(function* () {
        const draw = rng.number()
        const delay = sampleLatency(current.latency, rng)
        const page = corpus.page(target)
        // A missing page is answered 404 whatever the fault draw: the target site says so, not the proxy.
        const gone =
          page === undefined ||
          current.notFound.some((entry) => entry === target || entry === new URL(target).pathname)
        if (!gone && draw < current.hangRate)
          return yield* answered("hang").pipe(Effect.zipRight(Effect.never))
        yield* gate.await
        if (delay > 0) yield* Effect.sleep(delay).pipe(Effect.withClock(liveClock))
        if (gone) return yield* answered("404").pipe(Effect.as([answers.notFound(cost), true] as const))
        if (draw < current.hangRate + current.resetRate) {
          yield* answered("reset")
          NodeHttpServerRequest.toIncomingMessage(
            yield* HttpServerRequest.HttpServerRequest,
          ).socket.resetAndDestroy()
          return yield* Effect.never
        }
        if (draw < current.hangRate + current.resetRate + current.errorRate) {
          return yield* answered("500").pipe(Effect.as([answers.failed(), false] as const))
        }
        const body = bodies.get(page, render)
        return yield* answered("200").pipe(
          Effect.as([
            HttpServerResponse.uint8Array(body, {
              contentType: "text/html; charset=utf-8",
              headers: { "sa-credit-cost": String(cost) },
            }),
            true,
          ] as const),
        )
      })

    const perKey = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.flatMap(param("api_key"), (key = "") =>
        Effect.acquireUseRelease(
          Effect.flatMap(liveNow, (now) => Ref.update(loads, (current) => entered(current, key, now))),
          () => effect,
          () => Effect.flatMap(liveNow, (now) => Ref.update(loads, (current) => left(current, key, now))),
        ),
      )

    const load = (key: string) =>
      Effect.zipWith(Ref.get(loads), liveNow, (current, now) => loadAt(current.get(key), now))

    const scrape = Effect.gen(function* () {
      const target = targetOf(yield* param("url"))
      yield* SubscriptionRef.update(counters, (c) => received(c, target))
      if ((yield* param("api_key")) !== apiKey)
        return yield* answered("403").pipe(Effect.as(answers.badKey()))
      if (target === undefined) return yield* answered("400").pipe(Effect.as(answers.badUrl()))
      const render = (yield* param("render")) === "true"
      const cost = priceOf(corpus.page(target), render)
      const maxCost = Number((yield* param("max_cost")) ?? Infinity)
      if (cost > maxCost) return yield* answered("403").pipe(Effect.as(answers.overMaxCost()))
      const current = yield* Ref.get(knobs)
      const admission = yield* SubscriptionRef.modify(counters, (c) => admit(c, current, cost))
      yield* Effect.logDebug("scrape request").pipe(Effect.annotateLogs({ target, admission }))
      if (admission === "credits-exhausted")
        return yield* answered("403").pipe(Effect.as(answers.exhausted()))
      if (admission === "rate-limited") {
        return yield* answered("429").pipe(Effect.as(answers.limited(current.retryAfterSeconds)))
      }
      return yield* serveAdmitted(target, current, render, cost).pipe(
        Effect.onExit((exit) =>
          SubscriptionRef.update(counters, (c) => settle(c, Exit.isSuccess(exit) && exit.value[1], cost)),
        ),
        Effect.map(([response]) => response),
      )
    })

    const account = Effect.gen(function* () {
      if ((yield* param("api_key")) !== apiKey) return answers.badKey()
      const [current, c] = yield* Effect.all([Ref.get(knobs), SubscriptionRef.get(counters)])
      return HttpServerResponse.unsafeJson({
        concurrencyLimit: current.concurrencyLimit,
        concurrentRequests: c.inFlight,
        requestCount: c.creditsUsed,
        requestLimit: current.credits,
        failedRequestCount: statsOf(c).failed,
      })
    })

    const inFlightSamples =
      sampleInFlightMs === undefined
        ? Effect.succeed([])
        : yield* sampleInFlight(
            Effect.map(SubscriptionRef.get(counters), (c) => c.inFlight),
            sampleInFlightMs,
          )
    // One key: its peak is the most requests admitted at once, and its 429s those refused, since the last reset.
    const inFlight = Effect.gen(function* () {
      if ((yield* param("api_key")) !== apiKey) return answers.badKey()
      const [samples, c] = yield* Effect.all([inFlightSamples, SubscriptionRef.get(counters)])
      return HttpServerResponse.unsafeJson({
        intervalMs: sampleInFlightMs ?? null,
        peakInFlight: c.maxInFlight,
        rateLimited: statsOf(c).perOutcome["429"] ?? 0,
        samples,
      })
    })

    const keyStats = Effect.flatMap(param("api_key"), (key = "") =>
      Effect.map(load(key), (figures) => HttpServerResponse.unsafeJson(figures)),
    )

    const router = HttpRouter.empty.pipe(
      HttpRouter.get("/", perKey(scrape)),
      HttpRouter.get("/account", account),
      HttpRouter.get("/sandbox/in-flight", inFlight),
      HttpRouter.get("/__sandbox/stats", keyStats),
    )
    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: requestedPort, host })
    // Hung requests would keep the server from closing: drop every connection first.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    yield* server.serve(router)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    yield* Effect.logInfo("sandbox listening").pipe(
      Effect.annotateLogs({ host, port, pages: corpus.pages.length }),
    )

    const handle: SandboxHandle = {
      baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
      port,
      apiKey,
      corpus,
      stats: Effect.map(SubscriptionRef.get(counters), statsOf),
      load,
      resetStats: SubscriptionRef.update(counters, (c) => emptyCounters(c.inFlight, c.reserved)),
      knobs: Ref.get(knobs),
      update: (changes) =>
        Effect.gen(function* () {
          const next = { ...(yield* Ref.get(knobs)), ...Struct.pick(changes, ...knobNames) }
          yield* validateKnobs(next)
          yield* Ref.set(knobs, next)
        }),
      hold: gate.close,
      release: gate.open,
      awaitInFlight: (count) => awaitCounters((c) => c.inFlight >= count),
      awaitIdle: awaitCounters((c) => c.inFlight === 0),
    }
    return handle
  }).pipe(Effect.annotateLogs({ service: "Sandbox" }))

export const start: (
  options?: SandboxOptions,
) => Effect.Effect<SandboxHandle, InvalidSandboxOptions | ServeError, Scope.Scope> = (options = {}) =>
  make(options)

/** The simulator as a service, for tests that swap it in as a layer. */
export class Sandbox extends Context.Tag("Sandbox/Sandbox")<Sandbox, SandboxHandle>() {
  static readonly start = start
  static readonly layer = (options?: SandboxOptions) => Layer.scoped(Sandbox, start(options))
}
