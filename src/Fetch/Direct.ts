import { Duration, Effect } from "effect"
import { AppConfig } from "../Config.js"
import type { PageBody } from "../Extract/Decode.js"
import { readBody } from "./Body.js"
import {
  BadRequest,
  HostNotFound,
  TargetRefused,
  transportCode,
  transportFailure,
  type FetchError,
} from "./Errors.js"
import { header, makePool, type RequestFailed } from "./HttpPool.js"
import { connectionLimits } from "./Limits.js"
import { PageFetcher } from "./PageFetcher.js"
import { guardedConnector, urlRefusal } from "./Ssrf.js"
import { failForStatus } from "./Status.js"
import { TargetPolicy } from "./TargetPolicy.js"

/**
 * Pages fetched straight from their sites, as a browser would ask for them: redirects followed (by
 * us, so that every hop passes the SSRF guard), bodies capped at WF7_MAX_PAGE_BYTES, charset
 * honoured, targets the TargetPolicy refuses never connected to.
 */

const browserHeaders = {
  "user-agent":
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 wf7",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-language": "en-US,en;q=0.9",
}

const MAX_REDIRECTS = 5
const redirects = new Set([301, 302, 303, 307, 308])

type Answer =
  | { readonly _tag: "Page"; readonly body: PageBody }
  | { readonly _tag: "Redirect"; readonly status: number; readonly location: string }

/** A URL as an error names it: a site's redirect may be arbitrarily long. */
const shown = (url: URL | string) => String(url).slice(0, 200)

/** A failed request: a private or unknown target is the page's fault; anything else the network's. */
const requestFailure = (target: URL, error: RequestFailed): FetchError => {
  // The connector refuses with a TargetRefused of its own: the address the socket would have reached.
  if (error.cause instanceof TargetRefused) return error.cause
  if (transportCode(error) === "ENOTFOUND")
    return new HostNotFound({ message: `${target.hostname} not found (DNS)` })
  return transportFailure(error)
}

export const makeDirectFetcher = Effect.gen(function* () {
  const config = yield* AppConfig
  const policy = yield* TargetPolicy
  const limits = connectionLimits(config).direct
  const pool = yield* makePool({
    connections: limits.perHost,
    timeoutSeconds: config.httpTimeoutSeconds,
    connector: guardedConnector(policy),
  })
  const connections = yield* Effect.makeSemaphore(limits.total)
  const maxRetryAfter = Duration.seconds(config.maxRetryAfterSeconds)
  // Each hop within HTTP_CONNECTION_TIMEOUT: a redirect chain is bounded by MAX_REDIRECTS of them.
  const timeout = Duration.seconds(config.httpTimeoutSeconds)

  /** One hop: the page, or where it redirects to. */
  const request = (target: URL) =>
    pool
      .get(target, browserHeaders, timeout, (response): Effect.Effect<Answer, FetchError | RequestFailed> => {
        const { status, headers } = response
        if (status >= 200 && status < 300) {
          return Effect.map(readBody(response, config.maxPageBytes), (body): Answer => ({
            _tag: "Page",
            body,
          }))
        }
        const location = header(headers, "location")
        if (redirects.has(status) && location !== undefined) {
          return Effect.succeed<Answer>({ _tag: "Redirect", status, location })
        }
        const answerer = { site: target.host, maxRetryAfter }
        return failForStatus(
          status,
          `${target.host} answered ${status}`,
          header(headers, "retry-after"),
          answerer,
        )
      })
      .pipe(
        Effect.catchTag("RequestFailed", (failed) =>
          Effect.fail(
            failed.reason === "Transport" ? requestFailure(target, failed) : transportFailure(failed),
          ),
        ),
      )

  /** The page's URL, then each redirect's, checked before it is requested; at most MAX_REDIRECTS. */
  const follow = (url: string) =>
    Effect.gen(function* () {
      let target = yield* Effect.try({
        try: () => new URL(url),
        catch: () => new TargetRefused({ message: "not a valid URL" }),
      })
      for (let hop = 0; ; hop++) {
        const named = (reason: string) =>
          new TargetRefused({
            message: hop === 0 ? reason : `redirect ${hop} to ${shown(target)} refused: ${reason}`,
          })
        const refusal = urlRefusal(target, policy)
        if (refusal !== undefined) return yield* named(refusal)
        const answer = yield* request(target).pipe(
          Effect.catchTag("TargetRefused", (error) => Effect.fail(named(error.message))),
        )
        if (answer._tag === "Page") return answer
        if (hop === MAX_REDIRECTS) {
          const message = `more than ${MAX_REDIRECTS} redirects, the last to ${shown(answer.location)}`
          return yield* new BadRequest({ status: answer.status, message })
        }
        const base: URL = target
        target = yield* Effect.try({
          try: () => new URL(answer.location, base),
          catch: () =>
            new TargetRefused({
              message: `redirect ${hop + 1} to ${shown(answer.location)} refused: not a valid URL`,
            }),
        })
      }
    })

  const fetch = (url: string) =>
    follow(url).pipe(
      Effect.map(({ body }) => ({ url, body, credits: 0, rendered: false })),
      connections.withPermits(1),
    )
  return PageFetcher.of({ fetch })
})
