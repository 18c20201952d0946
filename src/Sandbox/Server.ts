import type { ServeError } from "@effect/platform/HttpServerError"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Layer, Record, type Scope, Struct } from "effect"
import * as Http from "node:http"
import { Gate } from "./Gate.js"
import { Ledger, type SandboxStats } from "./Ledger.js"
import { idleLoad, sampleInFlight, validateSampleInterval, type KeyLoad } from "./Load.js"
import { Rng } from "./Random.js"
import { scrapeHandler } from "./Scrape.js"
import { generateCorpus, type SampleCorpus } from "./Sites.js"
import {
  defaultKnobs,
  InvalidSandboxOptions,
  validateKnobs,
  validateSetup,
  type SandboxKnobs,
} from "./State.js"
import { viewsRouter } from "./Views.js"

/**
 * A ScraperAPI-compatible simulator on a local port: the scrape endpoint (Scrape.ts), and `GET /account`
 * and its load views as Effect routes (Views.ts). Tests read its books, turn its knobs, hold answers back.
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
  /** Sample the in-flight count every this many ms for `/sandbox/in-flight` (default: not sampled). */
  readonly sampleInFlightMs?: number | undefined
}

export interface SandboxHandle {
  /** The server root with a trailing slash: what `SCRAPER_API_BASE_URL` should be. */
  readonly baseUrl: string
  readonly port: number
  readonly apiKey: string
  readonly corpus: SampleCorpus
  readonly stats: Effect.Effect<SandboxStats>
  /** Requests per API key: in flight, peak, and over time (also `GET /__sandbox/stats?api_key=…`). */
  readonly load: (apiKey: string) => Effect.Effect<KeyLoad>
  /** Clears the counters, credits used included (a new billing cycle); requests in flight stay counted. */
  readonly resetStats: Effect.Effect<void>
  readonly knobs: Effect.Effect<SandboxKnobs>
  readonly update: (changes: Partial<SandboxKnobs>) => Effect.Effect<void, InvalidSandboxOptions>
  readonly hold: Effect.Effect<void>
  readonly release: Effect.Effect<void>
  readonly awaitInFlight: (count: number) => Effect.Effect<void>
  readonly awaitIdle: Effect.Effect<void>
}

const knobNames = Record.keys(defaultKnobs)

/** The scrape endpoint is `GET /` with a query; everything else is an Effect route. */
const isScrape = (request: Http.IncomingMessage) =>
  request.method === "GET" && (request.url === "/" || request.url?.startsWith("/?") === true)

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
    let knobs: SandboxKnobs = { ...defaultKnobs, ...Struct.pick(options, ...knobNames) }
    yield* validateKnobs(knobs)
    yield* validateSetup(requestedPort, sites, jsShare, protectedShare)
    if (sampleInFlightMs !== undefined) yield* validateSampleInterval(sampleInFlightMs)
    const corpus = generateCorpus({ sites, seed, jsShare, protectedShare })
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()
    const ledger = new Ledger(now())
    const gate = new Gate()
    const current = () => knobs
    const loadOf = (key: string) => (key === apiKey ? ledger.load.at(now()) : idleLoad(now()))

    const scrape = scrapeHandler({
      apiKey,
      corpus,
      knobs: current,
      ledger,
      gate,
      rng: new Rng(seed, 0xfa017),
      now,
    })
    const samples =
      sampleInFlightMs === undefined
        ? Effect.succeed([])
        : yield* sampleInFlight(ledger.load, sampleInFlightMs)
    const views = yield* NodeHttpServer.makeHandler(
      viewsRouter({ apiKey, knobs: current, ledger, loadOf, samples, sampleInFlightMs, now }),
    )
    const nodeServer = Http.createServer((request, response) =>
      isScrape(request) ? scrape(request, response) : views(request, response),
    )
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: requestedPort, host })
    // Hung requests would keep the server from closing: drop every connection first.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    yield* Effect.logInfo("sandbox listening").pipe(
      Effect.annotateLogs({ host, port, pages: corpus.pages.length }),
    )

    const handle: SandboxHandle = {
      baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
      port,
      apiKey,
      corpus,
      stats: Effect.sync(() => ledger.stats(now())),
      load: (key) => Effect.sync(() => loadOf(key)),
      resetStats: Effect.sync(() => ledger.reset(now())),
      knobs: Effect.sync(current),
      update: (changes) =>
        Effect.suspend(() => {
          const next = { ...knobs, ...Struct.pick(changes, ...knobNames) }
          return Effect.tap(validateKnobs(next), () => {
            knobs = next
          })
        }),
      hold: Effect.sync(() => gate.hold()),
      release: Effect.sync(() => gate.release()),
      awaitInFlight: (count) => ledger.load.until((inFlight) => inFlight >= count),
      awaitIdle: ledger.load.until((inFlight) => inFlight === 0),
    }
    return handle
  }).pipe(Effect.annotateLogs({ service: "Sandbox" }))

export const start: (
  options?: SandboxOptions,
) => Effect.Effect<SandboxHandle, InvalidSandboxOptions | ServeError, Scope.Scope> = (options = {}) =>
  make(options)

export class Sandbox extends Context.Tag("Sandbox/Sandbox")<Sandbox, SandboxHandle>() {
  static readonly start = start
  static readonly layer = (options?: SandboxOptions) => Layer.scoped(Sandbox, start(options))
}
