import * as HttpClient from "@effect/platform/HttpClient"
import { Cause, Context, Duration, Effect, Exit, Layer, Option, Redacted } from "effect"
import { AppConfig } from "../Config.js"
import { decodeHtml } from "../Extract/Decode.js"
import { creditsSpent, noteRequestUrl, scraperAnswered } from "../Observability/Instrument.js"
import { readBody } from "./Body.js"
import { creditCost } from "./Credits.js"
import { PageGone, transportFailure, type FetchError } from "./Errors.js"
import { header, makePool, type Answer, type RequestFailed } from "./HttpPool.js"
import { connectionLimits } from "./Limits.js"
import { PageFetcher, type FetchedPage, type FetchOptions } from "./PageFetcher.js"
import { failForStatus, type Answerer } from "./Status.js"

/**
 * Pages fetched through ScraperAPI: `GET {base}?api_key=…&url=…&max_cost=…[&render=true]` over a
 * keep-alive pool; every billed answer says its cost in credits (`sa-credit-cost`).
 * The key travels only in that request: every message is built from status codes and redacted text,
 * and no span records the request's own URL.
 */

/**
 * Masks the key in every form it can travel in: as is, percent-encoded (encodeURIComponent) and
 * form-encoded (URLSearchParams, the form on the wire), with either case of hex digits.
 */
const makeRedactor = (secret: string) => {
  const encoded = [encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2)]
  const lowerHex = encoded.map((form) => form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()))
  const forms = [...new Set([secret, ...encoded, ...lowerHex])]
    .filter((form) => form.length > 0)
    .sort((a, b) => b.length - a.length)
  return (text: string) => forms.reduce((safe, form) => safe.split(form).join("[redacted]"), text)
}

interface Request {
  readonly target: string
  readonly render: boolean
  readonly maxBytes: number
  readonly maxCredits: number
}

const classify = (
  response: Answer,
  request: Request,
  redact: (text: string) => string,
  answerer: Answerer,
): Effect.Effect<FetchedPage, FetchError | RequestFailed> => {
  const status = response.status
  const { target, render } = request
  // Only 200 and 404 are billed; a 429 or 5xx costs nothing.
  const billed = status === 200 || status === 404
  const credits = billed
    ? creditCost(header(response.headers, "sa-credit-cost"), render, request.maxCredits)
    : 0
  if (status >= 200 && status < 300) {
    return Effect.map(readBody(response, request.maxBytes), (body) => ({
      url: target,
      body,
      credits,
      rendered: render,
    }))
  }
  // The body only adds detail to the status: one that cannot be read leaves the status to say it.
  const detail = readBody(response, 2048).pipe(
    Effect.map((body) => redact(decodeHtml(body).trim().replace(/\s+/g, " ").slice(0, 200))),
    Effect.orElseSucceed(() => ""),
  )
  return Effect.flatMap(detail, (text) =>
    failForStatus(
      status,
      `ScraperAPI answered ${status}${text === "" ? "" : `: ${text}`}`,
      header(response.headers, "retry-after"),
      answerer,
    ).pipe(Effect.catchTag("PageGone", (gone) => Effect.fail(new PageGone({ ...gone, credits })))),
  )
}

/** What an attempt spent and how it ended, in the metrics: credits billed, or a timeout or a lost connection. */
const recordAttempt = (exit: Exit.Exit<FetchedPage, FetchError | RequestFailed>, render: boolean) => {
  if (Exit.isSuccess(exit)) return creditsSpent(exit.value.credits, render)
  const error = Option.getOrUndefined(Cause.failureOption(exit.cause))
  switch (error?._tag) {
    case "PageGone":
      return creditsSpent(error.credits ?? 0, render)
    case "FetchTimeout":
      return scraperAnswered("timeout")
    case "RequestFailed":
      return error.reason === "Transport" ? scraperAnswered("transport") : Effect.void
    default:
      return Effect.void
  }
}

/** The keep-alive pool ScraperAPI is reached through: pages on it, `/account` through its HttpClient. */
export class ScraperPool extends Context.Tag("Fetch/ScraperPool")<
  ScraperPool,
  Effect.Effect.Success<ReturnType<typeof makePool>>
>() {}

export const makeScraperApiFetcher = Effect.gen(function* () {
  const config = yield* AppConfig
  const key = yield* Option.match(config.scraperApiKey, {
    onNone: () => Effect.dieMessage("ScraperApiFetcher needs SCRAPER_API_KEY"),
    onSome: (key) => Effect.succeed(Redacted.value(key)),
  })
  const redact = makeRedactor(key)
  const pool = yield* ScraperPool
  const answerer: Answerer = { site: undefined, maxRetryAfter: Duration.seconds(config.maxRetryAfterSeconds) }

  /** The request's URL, or as a span may show it (`shown`): everything but the key. */
  const urlOf = (target: string, render: boolean, shown: boolean) => {
    const url = new URL(config.scraperApiBaseUrl)
    if (!shown) url.searchParams.set("api_key", key)
    url.searchParams.set("url", target)
    // max_cost: ScraperAPI refuses (403) rather than bill one request more than WF7_MAX_CREDITS_PER_REQUEST.
    url.searchParams.set("max_cost", String(config.maxCreditsPerRequest))
    if (render) url.searchParams.set("render", "true")
    return url
  }

  const fetch = (target: string, options?: FetchOptions) => {
    const render = options?.render ?? config.renderMode === "always"
    const request = { target, render, maxBytes: config.maxPageBytes, maxCredits: config.maxCreditsPerRequest }
    return pool
      .get(urlOf(target, render, false), {}, Duration.seconds(config.httpTimeoutSeconds), (response) =>
        Effect.zipRight(scraperAnswered(response.status), classify(response, request, redact, answerer)),
      )
      .pipe(
        // One layer for the metrics and the span, rather than one each: every request in flight holds it.
        Effect.onExit((exit) =>
          Effect.zipRight(
            recordAttempt(exit, render),
            noteRequestUrl(() => urlOf(target, render, true)),
          ),
        ),
        Effect.catchTag("RequestFailed", (failed) => Effect.fail(transportFailure(failed, redact))),
      )
  }
  return PageFetcher.of({ fetch })
})

const ScraperPoolLive = Layer.scoped(
  ScraperPool,
  Effect.flatMap(AppConfig, (config) =>
    makePool({ connections: connectionLimits(config).scraperApi, timeoutSeconds: config.httpTimeoutSeconds }),
  ),
)

/** The HTTP side of ScraperAPI: one keep-alive pool, a connection per page in flight. */
export const ScraperHttpLive = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(ScraperPool, (pool) => pool.client),
).pipe(Layer.provideMerge(ScraperPoolLive))
