import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { answers, toResponse } from "./Answers.js"
import type { Ledger } from "./Ledger.js"
import type { InFlightSample, KeyLoad } from "./Load.js"
import type { SandboxKnobs } from "./State.js"

/**
 * The simulator's read-only endpoints: `GET /account` as ScraperAPI answers it, and two of its own
 * over the one count of requests in flight: `GET /sandbox/in-flight` (samples over time and the peak,
 * for the bench) and `GET /__sandbox/stats` (the key's load, for Little's law in the fleet's tests).
 */

export interface ViewsContext {
  readonly apiKey: string
  readonly knobs: () => SandboxKnobs
  readonly ledger: Ledger
  readonly loadOf: (apiKey: string) => KeyLoad
  readonly samples: Effect.Effect<ReadonlyArray<InFlightSample>>
  readonly sampleInFlightMs: number | undefined
  readonly now: () => number
}

/** The first value of a query parameter (repeated parameters arrive as an array). */
const param = (name: string) =>
  Effect.map(HttpServerRequest.ParsedSearchParams, (params) => {
    const value = params[name]
    return typeof value === "string" ? value : value?.[0]
  })

export const viewsRouter = (context: ViewsContext) => {
  const { apiKey, ledger, now } = context
  /** The view, for the key's holder only. */
  const keyed = (view: Effect.Effect<HttpServerResponse.HttpServerResponse>) =>
    Effect.flatMap(param("api_key"), (key) =>
      key === apiKey ? view : Effect.succeed(toResponse(answers.badKey())),
    )

  const account = Effect.sync(() => {
    const knobs = context.knobs()
    const stats = ledger.stats(now())
    return HttpServerResponse.unsafeJson({
      concurrencyLimit: knobs.concurrencyLimit,
      concurrentRequests: stats.inFlight,
      requestCount: stats.creditsUsed,
      requestLimit: knobs.credits,
      failedRequestCount: stats.failed,
    })
  })

  // Its peak is the most requests admitted at once, and its 429s those refused, since the last reset.
  const inFlight = Effect.map(context.samples, (samples) => {
    const stats = ledger.stats(now())
    return HttpServerResponse.unsafeJson({
      intervalMs: context.sampleInFlightMs ?? null,
      peakInFlight: stats.maxInFlight,
      rateLimited: stats.perOutcome["429"] ?? 0,
      meanLatencyMs: stats.meanLatencyMs,
      samples,
    })
  })

  const keyStats = Effect.map(param("api_key"), (key = "") =>
    HttpServerResponse.unsafeJson(context.loadOf(key)),
  )

  return HttpRouter.empty.pipe(
    HttpRouter.get("/account", keyed(account)),
    HttpRouter.get("/sandbox/in-flight", keyed(inFlight)),
    HttpRouter.get("/__sandbox/stats", keyStats),
  )
}
