import { Clock, Data, Effect } from "effect"
import { AppConfig } from "../Config.js"

/** A token bucket per client (WF7_API_RATE_LIMIT/s, bursts of twice that), so none hogs the database pool. */

/** Most clients remembered; beyond it the least recently seen is forgotten (and starts afresh). */
export const MAX_CLIENTS = 10_000

export class RateLimited extends Data.TaggedError("RateLimited")<{ readonly retryAfterSeconds: number }> {}

interface Bucket {
  readonly tokens: number
  readonly at: number
}

export class RateLimiter extends Effect.Service<RateLimiter>()("Http/RateLimiter", {
  effect: Effect.gen(function* () {
    const perSecond = (yield* AppConfig).apiRateLimit
    const burst = Math.max(1, 2 * perSecond)
    // Insertion order is recency: a client's bucket is re-inserted on each request.
    const buckets = new Map<string, Bucket>()

    const refill = (bucket: Bucket | undefined, now: number) =>
      bucket === undefined ? burst : Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)

    const forgetOldest = () => {
      const oldest = buckets.keys().next()
      if (!oldest.done) buckets.delete(oldest.value)
    }

    const take = Effect.fn("RateLimiter.take")(function* (client: string) {
      const now = yield* Clock.currentTimeMillis
      const tokens = refill(buckets.get(client), now)
      buckets.delete(client)
      buckets.set(client, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now })
      if (buckets.size > MAX_CLIENTS) forgetOldest()
      if (tokens < 1) {
        return yield* new RateLimited({ retryAfterSeconds: Math.ceil((1 - tokens) / perSecond) })
      }
    })

    return { take } as const
  }),
}) {}
