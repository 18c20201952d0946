import { Data, Duration, Predicate } from "effect"

/**
 * Every way a fetch can fail, one tag per row of the SPEC §4 table. Messages are safe to log and
 * store: they never contain the ScraperAPI key.
 */

/** 404 / 410: the page is gone; never retried (ScraperAPI bills a 404). */
export class PageGone extends Data.TaggedError("PageGone")<{
  readonly status: number
  readonly message: string
  /** What ScraperAPI billed for the answer. */
  readonly credits?: number
}> {}

/**
 * 429: retried after `retryAfter` (capped at WF7_MAX_RETRY_AFTER_SECONDS). ScraperAPI's own 429
 * shrinks the concurrency limit; a site's (`site`: its host, fetching directly) pauses that host only.
 */
export class RateLimited extends Data.TaggedError("RateLimited")<{
  readonly retryAfter: Duration.Duration | undefined
  readonly message: string
  readonly site?: string | undefined
}> {}

/** 5xx from the proxy or the site (ScraperAPI has already retried for up to 70 s): retried at most twice. */
export class UpstreamFailed extends Data.TaggedError("UpstreamFailed")<{
  readonly status: number
  readonly message: string
}> {}

/** 403 (or 401) from ScraperAPI: credits exhausted or key refused. Fetching pauses; no attempt is spent. */
export class CreditsExhausted extends Data.TaggedError("CreditsExhausted")<{ readonly message: string }> {}

/** 400 and other 4xx answers: the request itself is wrong; never retried. */
export class BadRequest extends Data.TaggedError("BadRequest")<{
  readonly status: number
  readonly message: string
}> {}

/** No complete answer within HTTP_CONNECTION_TIMEOUT: retried. */
export class FetchTimeout extends Data.TaggedError("FetchTimeout")<{ readonly message: string }> {}

/** Connection refused or reset, DNS failure, TLS error: retried. */
export class TransportError extends Data.TaggedError("TransportError")<{ readonly message: string }> {}

/** A direct fetch's target has no DNS record (ENOTFOUND): the site's own fault, retried as DNS is. */
export class HostNotFound extends Data.TaggedError("HostNotFound")<{ readonly message: string }> {}

/** The body is larger than WF7_MAX_PAGE_BYTES: never retried, nothing buffered past the cap. */
export class PageTooLarge extends Data.TaggedError("PageTooLarge")<{ readonly message: string }> {}

/** EMFILE / ENFILE: this process ran out of file descriptors. The page is released, no attempt spent. */
export class LocalResourceExhausted extends Data.TaggedError("LocalResourceExhausted")<{
  readonly message: string
}> {}

/** A direct fetch to a loopback, private or link-local address (SSRF guard), or a non-HTTP URL. */
export class TargetRefused extends Data.TaggedError("TargetRefused")<{ readonly message: string }> {}

export type FetchError =
  | PageGone
  | RateLimited
  | UpstreamFailed
  | CreditsExhausted
  | BadRequest
  | FetchTimeout
  | TransportError
  | HostNotFound
  | PageTooLarge
  | TargetRefused
  | LocalResourceExhausted

/** The system error code behind a failed request (ECONNRESET, EMFILE …), if any. */
export const transportCode = (error: { readonly cause: unknown }): string | undefined => {
  const cause = error.cause
  const inner = Predicate.hasProperty(cause, "cause") ? cause.cause : undefined
  const code = Predicate.hasProperty(cause, "code") ? cause.code : undefined
  const innerCode = Predicate.hasProperty(inner, "code") ? inner.code : undefined
  const found = code ?? innerCode
  return typeof found === "string" ? found : undefined
}

/**
 * A request that failed on the wire: out of file descriptors here (the page is released, no attempt
 * spent: the site is not at fault), or a transport failure (retried). The message names the reason
 * and code, never the request (a ScraperAPI URL holds the key).
 */
export const transportFailure = (
  error: { readonly reason: string; readonly cause: unknown },
  redact = (text: string) => text,
) => {
  const code = transportCode(error)
  const message = redact(`${error.reason} error${code === undefined ? "" : ` (${code})`}`)
  return code === "EMFILE" || code === "ENFILE"
    ? new LocalResourceExhausted({ message })
    : new TransportError({ message })
}

/** No complete answer within `timeout` (HTTP_CONNECTION_TIMEOUT). */
export const noAnswerWithin = (timeout: Duration.Duration) =>
  new FetchTimeout({ message: `no answer within ${Duration.format(timeout)}` })
