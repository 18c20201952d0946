import { HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import { Duration, Effect } from "effect"
import { AppConfig } from "../Config.js"
import { readBody } from "./Body.js"
import { FetchTimeout, HostNotFound, TargetRefused, TransportError, type FetchError } from "./Errors.js"
import { makePooledClient } from "./HttpPool.js"
import { PageFetcher } from "./PageFetcher.js"
import { describeTransport, transportCode } from "./ScraperApi.js"
import { errorForStatus } from "./Status.js"
import { guardedLookup, refusalOf } from "./Ssrf.js"

/**
 * Pages fetched straight from their sites, as a browser would ask for them: redirects followed,
 * bodies capped at WF7_MAX_PAGE_BYTES, charset honoured, private targets refused.
 */

const browserHeaders = {
  "user-agent":
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 wf7",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-language": "en-US,en;q=0.9",
}

const MAX_REDIRECTS = 5

/** A failed request: a private or unknown target is the page's fault; anything else the network's. */
const requestFailure = (target: URL, error: HttpClientError.RequestError): FetchError => {
  const code = transportCode(error)
  if (code === "WF7_PRIVATE_TARGET")
    return new TargetRefused({ message: `${target.hostname} resolves to a private address` })
  if (code === "ENOTFOUND") return new HostNotFound({ message: `${target.hostname} not found (DNS)` })
  return new TransportError({ message: describeTransport(error) })
}

export const makeDirectFetcher = Effect.gen(function* () {
  const config = yield* AppConfig
  const pool = yield* makePooledClient({
    total: config.httpPoolSize,
    perHost: config.httpPerHost,
    timeoutSeconds: config.httpTimeoutSeconds,
    connect: config.allowPrivateTargets ? undefined : { lookup: guardedLookup },
  })
  const client = pool.client.pipe(HttpClient.followRedirects(MAX_REDIRECTS))
  const connections = yield* Effect.makeSemaphore(config.httpPoolSize)
  const timeout = Duration.seconds(config.httpTimeoutSeconds)

  const request = (target: URL) =>
    client.execute(HttpClientRequest.get(target).pipe(HttpClientRequest.setHeaders(browserHeaders))).pipe(
      Effect.flatMap(
        (
          response,
        ): Effect.Effect<{ html: string; bytes: number }, FetchError | HttpClientError.ResponseError> =>
          response.status >= 200 && response.status < 300
            ? readBody(response, config.maxPageBytes)
            : Effect.fail(
                errorForStatus(
                  response.status,
                  `${target.host} answered ${response.status}`,
                  response.headers["retry-after"],
                  false,
                ),
              ),
      ),
      Effect.scoped,
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new FetchTimeout({ message: `no answer within ${Duration.format(timeout)}` }),
      }),
      Effect.catchTags({
        RequestError: (error) => Effect.fail(requestFailure(target, error)),
        ResponseError: (error) => Effect.fail(new TransportError({ message: describeTransport(error) })),
      }),
      connections.withPermits(1),
    )

  const fetch = (url: string) =>
    Effect.gen(function* () {
      const target = yield* Effect.try({
        try: () => new URL(url),
        catch: () => new TargetRefused({ message: "not a valid URL" }),
      })
      const refusal = refusalOf(target, config.allowPrivateTargets)
      if (refusal !== undefined) return yield* new TargetRefused({ message: refusal })
      const { html, bytes } = yield* request(target)
      return { url, html, bytes }
    })
  return PageFetcher.of({ fetch })
})
