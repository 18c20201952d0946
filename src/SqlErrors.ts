import type { SqlError } from "@effect/sql/SqlError"
import { Predicate } from "effect"

/**
 * Which database failures can succeed when tried again: the connection or server went away, or the
 * transaction lost a race. Anything else is a statement Postgres refuses the same way every time.
 */

// Admin / crash shutdown, cannot connect now, serialization failure, deadlock, too many connections.
const transientStates = new Set(["57P01", "57P02", "57P03", "40001", "40P01", "53300"])
const networkCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"])
// What the pg driver and our pool say, with no code, when a connection cannot be had or is dropped.
const driverMessages =
  /timeout exceeded when trying to connect|Connection terminated|Connection timed out|connection error and is not queryable/i

/** The error and what it wraps: `cause` chains and the `errors` of an AggregateError (one per address). */
const chain = (error: unknown, depth = 0): ReadonlyArray<unknown> => {
  if (depth > 8) return []
  const causes = Predicate.hasProperty(error, "cause") ? chain(error.cause, depth + 1) : []
  const errors =
    Predicate.hasProperty(error, "errors") && Array.isArray(error.errors)
      ? error.errors.flatMap((inner: unknown) => chain(inner, depth + 1))
      : []
  return [error, ...causes, ...errors]
}

const codeOf = (error: unknown) =>
  Predicate.hasProperty(error, "code") && Predicate.isString(error.code) ? error.code : undefined

const messageOf = (error: unknown) =>
  Predicate.hasProperty(error, "message") && Predicate.isString(error.message) ? error.message : undefined

const isTransient = (error: unknown) => {
  const code = codeOf(error)
  if (code === undefined) return driverMessages.test(messageOf(error) ?? "")
  // Class 08 is connection exceptions, but for 08P01: a protocol violation fails again.
  return (code.startsWith("08") && code !== "08P01") || transientStates.has(code) || networkCodes.has(code)
}

export const isConnectionError = (error: SqlError) => chain(error.cause).some(isTransient)

/** The database's own message (and SQLSTATE), rather than the driver's "Failed to execute statement". */
export const describeSqlError = (error: SqlError) => {
  const inner = chain(error.cause).find((cause) => messageOf(cause) !== undefined)
  const code = codeOf(inner)
  const detail = messageOf(inner) ?? error.message
  return `SqlError: ${detail}${code === undefined ? "" : ` (${code})`}`
}

/** Why no connection could be had, in the driver's words (`connection refused`, `getaddrinfo ENOTFOUND …`). */
export const unreachableReason = (error: SqlError): string => {
  // Node reports refusals by every address of a name (::1, 127.0.0.1) as an AggregateError with no message.
  const causes = chain(error.cause)
  if (causes.some((cause) => codeOf(cause) === "ECONNREFUSED")) return "connection refused"
  return (
    causes.map(messageOf).find((message) => message !== undefined && message !== "") ?? String(error.cause)
  )
}
