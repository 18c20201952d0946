import { Effect, STM, TRef } from "effect"
import { AppConfig } from "../Config.js"

/**
 * The fetch slots, with an adaptive limit (AIMD): a 429 halves it (not below 1), a window of
 * successes raises it by one, never above SCRAPER_API_MAX_CONCURRENT nor the plan's own limit.
 * Only one halving per window: the other requests that were already in flight when the limit fell
 * carry an older epoch and do not halve it again, so a 429 storm converges instead of spiralling.
 */

export interface Slot {
  readonly epoch: number
}

export class Throttle extends Effect.Service<Throttle>()("Processing/Throttle", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const max = config.maxConcurrent
    const limit = yield* TRef.make(max)
    const ceiling = yield* TRef.make(max)
    const inUse = yield* TRef.make(0)
    const epoch = yield* TRef.make(0)
    const successes = yield* TRef.make(0)
    // The fleet's grant of the account-wide limit; undefined when there is no account limit.
    const cap = yield* TRef.make<number | undefined>(undefined)
    const effective = STM.zipWith(TRef.get(limit), TRef.get(cap), (own, grant) => Math.min(own, grant ?? own))

    const take: Effect.Effect<Slot> = STM.commit(
      STM.gen(function* () {
        const used = yield* TRef.get(inUse)
        const allowed = yield* effective
        yield* STM.check(() => used < allowed)
        yield* TRef.set(inUse, used + 1)
        return { epoch: yield* TRef.get(epoch) }
      }),
    )
    const give = STM.commit(TRef.update(inUse, (used) => used - 1))

    /** Runs `effect` holding one slot; the slot is free again before any retry backoff starts. */
    const withSlot = <A, E, R>(effect: (slot: Slot) => Effect.Effect<A, E, R>) =>
      Effect.acquireUseRelease(take, effect, () => give)

    const rateLimited = (slot: Slot) =>
      STM.commit(
        STM.gen(function* () {
          if ((yield* TRef.get(epoch)) !== slot.epoch) return false
          yield* TRef.update(limit, (current) => Math.max(1, Math.floor(current / 2)))
          yield* TRef.update(epoch, (current) => current + 1)
          yield* TRef.set(successes, 0)
          return true
        }),
      )

    const succeeded = STM.commit(
      STM.gen(function* () {
        const count = (yield* TRef.get(successes)) + 1
        const current = yield* TRef.get(limit)
        if (count < current) return yield* TRef.set(successes, count)
        yield* TRef.set(successes, 0)
        yield* TRef.set(limit, Math.min(current + 1, yield* TRef.get(ceiling)))
      }),
    )

    /** The plan's own concurrency limit, from ScraperAPI's `/account`. */
    const capAt = (planLimit: number) =>
      STM.commit(
        STM.gen(function* () {
          const cap = Math.max(1, Math.min(max, planLimit))
          yield* TRef.set(ceiling, cap)
          yield* TRef.update(limit, (current) => Math.min(current, cap))
        }),
      )

    /** An external cap on the limit (the fleet's share), lowered or raised at once; undefined lifts it. */
    const capTo = (grant: number | undefined) => STM.commit(TRef.set(cap, grant))

    /** `limit` is what may be held now; `wanted` the adaptive limit before the fleet's cap. */
    const current = STM.commit(
      STM.all({
        limit: effective,
        wanted: TRef.get(limit),
        inUse: TRef.get(inUse),
        ceiling: TRef.get(ceiling),
      }),
    )

    return { withSlot, rateLimited, succeeded, capAt, capTo, current } as const
  }),
}) {}
