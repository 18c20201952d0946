import type { HttpClientError } from "@effect/platform"
import { Predicate } from "effect"
import { LocalResourceExhausted, TransportError } from "./Errors.js"

/** The system error code behind a failed request (ECONNRESET, EMFILE …), if any. */
export const transportCode = (error: HttpClientError.HttpClientError): string | undefined => {
  const cause = error.cause
  const inner = Predicate.hasProperty(cause, "cause") ? cause.cause : undefined
  const code = Predicate.hasProperty(cause, "code") ? cause.code : undefined
  const innerCode = Predicate.hasProperty(inner, "code") ? inner.code : undefined
  const found = code ?? innerCode
  return typeof found === "string" ? found : undefined
}

/** Names what went wrong on the wire without echoing the request (a ScraperAPI URL holds the key). */
const describeTransport = (error: HttpClientError.HttpClientError) => {
  const code = transportCode(error)
  return `${error.reason} error${code === undefined ? "" : ` (${code})`}`
}

/**
 * A request that failed on the wire: out of file descriptors here (the page is released, no attempt
 * spent: the site is not at fault), or a transport failure (retried).
 */
export const transportFailure = (error: HttpClientError.HttpClientError, redact = (text: string) => text) => {
  const code = transportCode(error)
  const message = redact(describeTransport(error))
  return code === "EMFILE" || code === "ENFILE"
    ? new LocalResourceExhausted({ message })
    : new TransportError({ message })
}
