import {
  HttpApiBuilder,
  HttpApiError,
  HttpIncomingMessage,
  HttpServerError,
  HttpServerRequest,
} from "@effect/platform"
import { Cause, Effect, Option, type ParseResult } from "effect"
import { Api } from "./Api.js"
import { InternalError, InvalidRequest, NotFound, PayloadTooLarge } from "./Errors.js"

/**
 * Makes every failure one of the API's `{"error", "message"}` answers: a schema mismatch names the field,
 * a bad or too large body says so, unknown routes are 404, the unexpected is logged and a bare 500.
 */

const MAX_BODY_BYTES = 1024 * 1024

const MAX_ISSUE_LENGTH = 300

const clip = (text: string) => (text.length > MAX_ISSUE_LENGTH ? `${text.slice(0, MAX_ISSUE_LENGTH)}…` : text)

// Path and query parameters always decode from an object, so an issue without a path is the body's.
const describeIssue = (issue: ParseResult.ArrayFormatterIssue) =>
  issue.path.length > 0
    ? `${issue.path.join(".")}: ${clip(issue.message)}`
    : issue._tag === "Type"
      ? "body: Expected a JSON object with the fields shown at /docs"
      : `body: ${clip(issue.message)}`

const describeIssues = (issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>) =>
  issues.map(describeIssue).join("; ")

const tooLarge = new PayloadTooLarge({ message: `The request body is over ${MAX_BODY_BYTES} bytes` })

const toApiError = (cause: Cause.Cause<never>) =>
  Effect.gen(function* () {
    if (Cause.isInterruptedOnly(cause)) return yield* Effect.failCause(cause)
    const failure: Option.Option<unknown> = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const error = failure.value
      if (error instanceof HttpApiError.HttpApiDecodeError) {
        return yield* Effect.fail(new InvalidRequest({ message: describeIssues(error.issues) }))
      }
      if (error instanceof HttpServerError.RouteNotFound) {
        const { method, url } = error.request
        return yield* Effect.fail(new NotFound({ message: `No route for ${method} ${url.split("?")[0]}` }))
      }
      // The endpoints' own errors: encoded by their schemas.
      return yield* Effect.failCause(cause)
    }
    const defect: Option.Option<unknown> = Cause.dieOption(cause)
    // The body is read before validation; a read failure is either bad JSON or the size cap.
    if (Option.isSome(defect) && defect.value instanceof HttpServerError.RequestError) {
      return yield* defect.value.cause instanceof SyntaxError
        ? Effect.fail(
            new InvalidRequest({ message: `The body is not valid JSON: ${defect.value.cause.message}` }),
          )
        : Effect.fail(tooLarge)
    }
    yield* Effect.logError("Request failed", cause)
    return yield* Effect.fail(new InternalError({ message: "Internal error" }))
  })

export const ErrorMiddlewareLive = HttpApiBuilder.middleware(Api, (app) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return yield* Effect.fail(tooLarge)
    return yield* app.pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(MAX_BODY_BYTES)),
      Effect.catchAllCause(toApiError),
    )
  }).pipe(Effect.annotateLogs({ service: "Http" })),
)
