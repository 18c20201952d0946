import { HttpClient, type HttpClientError, type HttpClientResponse } from "@effect/platform"
import { Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import { AppConfig } from "../Config.js"
import { scraperAnswered } from "../Observability/Instrument.js"
import { readBody } from "./Body.js"
import { FetchTimeout, TransportError, type FetchError } from "./Errors.js"
import { makePooledClient } from "./HttpPool.js"
import { PageFetcher, type FetchedPage } from "./PageFetcher.js"
import { errorForStatus } from "./Status.js"

/**
 * Pages fetched through ScraperAPI: `GET {base}?api_key=…&url=…&render=true` over a keep-alive pool.
 * The key travels only in that request: every message is built from status codes and redacted text,
 * and the HTTP client's own spans (which would record the full URL) are turned off.
 */

const AccountInfo = Schema.Struct({
  concurrencyLimit: Schema.optional(Schema.Number),
  requestCount: Schema.optional(Schema.Number),
  requestLimit: Schema.optional(Schema.Number),
})
export type AccountInfo = typeof AccountInfo.Type

export const makeRedactor = (secret: string) => {
  const forms = [secret, encodeURIComponent(secret)].filter((form) => form.length > 0)
  return (text: string) => forms.reduce((safe, form) => safe.split(form).join("[redacted]"), text)
}

/** The system error code under an HTTP client failure (`ECONNRESET`, `ENOTFOUND` …), if any. */
export const transportCode = (error: HttpClientError.HttpClientError) => {
  const cause = error.cause as { code?: unknown; cause?: { code?: unknown } } | undefined
  const code = cause?.code ?? cause?.cause?.code
  return typeof code === "string" ? code : undefined
}

/** Names what went wrong on the wire without echoing the request (its URL holds the key). */
export const describeTransport = (error: HttpClientError.HttpClientError) => {
  const code = transportCode(error)
  return `${error.reason} error${code === undefined ? "" : ` (${code})`}`
}

const classify = (
  response: HttpClientResponse.HttpClientResponse,
  target: string,
  maxBytes: number,
  redact: (text: string) => string,
): Effect.Effect<FetchedPage, FetchError | HttpClientError.ResponseError> => {
  const status = response.status
  if (status >= 200 && status < 300) {
    return Effect.map(readBody(response, maxBytes), ({ html, bytes }) => ({ url: target, html, bytes }))
  }
  const detail = readBody(response, 2048).pipe(
    Effect.map(({ html }) => redact(html.trim().replace(/\s+/g, " ").slice(0, 200))),
    Effect.orElseSucceed(() => ""),
  )
  return Effect.flatMap(detail, (text) =>
    Effect.fail(
      errorForStatus(
        status,
        `ScraperAPI answered ${status}${text === "" ? "" : `: ${text}`}`,
        response.headers["retry-after"],
        true,
      ),
    ),
  )
}

export class ScraperAccount extends Effect.Service<ScraperAccount>()("Fetch/ScraperAccount", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const key = Option.map(config.scraperApiKey, Redacted.value)
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))
    /** What `/account` says of the plan (None when it cannot be read: the caller decides). */
    const info = Option.match(key, {
      onNone: () => Effect.succeed(Option.none<AccountInfo>()),
      onSome: (apiKey) =>
        HttpClient.filterStatusOk(client)
          .get(new URL("account", config.scraperApiBaseUrl), { urlParams: { api_key: apiKey } })
          .pipe(
            Effect.flatMap((response) => response.json),
            Effect.flatMap(Schema.decodeUnknown(AccountInfo)),
            Effect.scoped,
            Effect.timeout(Duration.seconds(config.httpTimeoutSeconds)),
            Effect.option,
          ),
    })
    return { info }
  }),
}) {}

export const makeScraperApiFetcher = Effect.gen(function* () {
  const config = yield* AppConfig
  const key = yield* Option.match(config.scraperApiKey, {
    onNone: () => Effect.dieMessage("ScraperApiFetcher needs SCRAPER_API_KEY"),
    onSome: (key) => Effect.succeed(Redacted.value(key)),
  })
  const redact = makeRedactor(key)
  const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))
  const timeout = Duration.seconds(config.httpTimeoutSeconds)
  const urlParams = (target: string) => ({
    api_key: key,
    url: target,
    ...(config.scraperApiRender ? { render: "true" } : {}),
  })

  /** The request's URL as a span may show it: everything but the key. */
  const shownUrl = (target: string) => {
    const url = new URL(config.scraperApiBaseUrl)
    for (const [name, value] of Object.entries(urlParams(target))) {
      if (name !== "api_key") url.searchParams.set(name, value)
    }
    return url.toString()
  }

  const fetch = (target: string) =>
    client.get(config.scraperApiBaseUrl, { urlParams: urlParams(target) }).pipe(
      Effect.tap((response) => scraperAnswered(response.status)),
      Effect.flatMap((response) => classify(response, target, config.maxPageBytes, redact)),
      Effect.scoped,
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new FetchTimeout({ message: `no answer within ${Duration.format(timeout)}` }),
      }),
      Effect.tapErrorTag("FetchTimeout", () => scraperAnswered("timeout")),
      Effect.tapErrorTag("RequestError", () => scraperAnswered("transport")),
      Effect.ensuring(Effect.annotateCurrentSpan("fetch.request_url", shownUrl(target))),
      Effect.catchTags({
        RequestError: (error) =>
          Effect.fail(new TransportError({ message: redact(describeTransport(error)) })),
        ResponseError: (error) =>
          Effect.fail(new TransportError({ message: redact(describeTransport(error)) })),
      }),
    )
  return PageFetcher.of({ fetch })
})

/** The HTTP client ScraperAPI is reached through: one keep-alive pool sized by HTTP_CONNECTION_*. */
export const ScraperHttpLive = Layer.scoped(
  HttpClient.HttpClient,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const pool = yield* makePooledClient({
      total: config.httpPoolSize,
      perHost: config.httpPerHost,
      timeoutSeconds: config.httpTimeoutSeconds,
    })
    return pool.client
  }),
)
