import { Clock, Duration, Effect } from "effect"
import {
  BadRequest,
  CreditsExhausted,
  PageGone,
  RateLimited,
  UpstreamFailed,
  type FetchError,
} from "./Errors.js"

/** A Retry-After header (seconds or HTTP-date), capped at `max`: a site may not park a page for days. */
const parseRetryAfter = (
  value: string | undefined,
  now: number,
  max: Duration.Duration,
): Duration.Duration | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Duration.min(Duration.seconds(seconds), max)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Duration.min(Duration.millis(Math.max(0, at - now)), max)
}

/** Who gave the answer: ScraperAPI (`site` undefined) or, fetching directly, the site itself. */
export interface Answerer {
  readonly site: string | undefined
  readonly maxRetryAfter: Duration.Duration
}

/** SPEC §4. Only ScraperAPI's 401/403 mean the account is out of credits; a site's 403 is a refused page. */
export const failForStatus = (
  status: number,
  message: string,
  retryAfter: string | undefined,
  answerer: Answerer,
): Effect.Effect<never, FetchError> => {
  if (status === 404 || status === 410) return Effect.fail(new PageGone({ status, message }))
  if (status === 429) {
    return Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.fail(
        new RateLimited({
          retryAfter: parseRetryAfter(retryAfter, now, answerer.maxRetryAfter),
          message,
          site: answerer.site,
        }),
      ),
    )
  }
  // A request over `max_cost` is refused with a 403 too, but only that page is too dear: not a pause.
  if (answerer.site === undefined && status === 403 && /max_cost/i.test(message))
    return Effect.fail(new BadRequest({ status, message }))
  if (answerer.site === undefined && (status === 401 || status === 403))
    return Effect.fail(new CreditsExhausted({ message }))
  if (status >= 500) return Effect.fail(new UpstreamFailed({ status, message }))
  return Effect.fail(new BadRequest({ status, message }))
}
