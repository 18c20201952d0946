import { Duration } from "effect"
import {
  BadRequest,
  CreditsExhausted,
  PageGone,
  RateLimited,
  UpstreamFailed,
  type FetchError,
} from "./Errors.js"

export const parseRetryAfter = (value: string | undefined, now: number): Duration.Duration | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Duration.seconds(seconds)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - now))
}

/**
 * The error an unsuccessful HTTP status stands for (SPEC §4). Only ScraperAPI's 401/403 mean the
 * account is out of credits; a site's own 403 is just a refused page.
 */
export const errorForStatus = (
  status: number,
  message: string,
  retryAfter: string | undefined,
  proxy: boolean,
): FetchError => {
  if (status === 404 || status === 410) return new PageGone({ status, message })
  if (status === 429) return new RateLimited({ retryAfter: parseRetryAfter(retryAfter, Date.now()), message })
  if (proxy && (status === 401 || status === 403)) return new CreditsExhausted({ message })
  if (status >= 500) return new UpstreamFailed({ status, message })
  return new BadRequest({ status, message })
}
