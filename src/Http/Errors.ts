import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

/**
 * The API's errors, each `{"error": tag, "message": …}` with its own status: the wire names the tag
 * `error`, so these are Schema classes with an `error` literal, not `Schema.TaggedError` (`_tag`).
 */
const ApiError =
  <Self>() =>
  <const Tag extends string>(tag: Tag, status: number, description: string) =>
    Schema.Class<Self>(tag)(
      { error: Schema.tag(tag), message: Schema.String },
      HttpApiSchema.annotations({ status, description }),
    )

export class InvalidRequest extends ApiError<InvalidRequest>()(
  "InvalidRequest",
  400,
  "The request is malformed or a field has the wrong type or value; the message names the field",
) {}

export class Unauthorized extends ApiError<Unauthorized>()(
  "Unauthorized",
  401,
  "No bearer token, or one that is neither a valid JWT nor the API key",
) {}

export class NotFound extends ApiError<NotFound>()("NotFound", 404, "No such page or route") {}

export class PayloadTooLarge extends ApiError<PayloadTooLarge>()(
  "PayloadTooLarge",
  413,
  "The request body is over 1 MB",
) {}

export class FilterRefused extends ApiError<FilterRefused>()(
  "FilterRefused",
  422,
  'The filter is empty (send "all": true to mean every page) or matches more pages than one call may change',
) {}

export class InternalError extends ApiError<InternalError>()(
  "InternalError",
  500,
  "Something failed on our side; details are in the server log",
) {}

export class NotReady extends ApiError<NotReady>()(
  "NotReady",
  503,
  "The database is unreachable or migrations are pending",
) {}

export class TooManyRequests extends ApiError<TooManyRequests>()(
  "TooManyRequests",
  429,
  "More than WF7_API_RATE_LIMIT requests a second from this client; the Retry-After header says when to try again",
) {}
