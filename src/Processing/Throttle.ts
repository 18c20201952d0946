import { Effect, STM, TRef } from "effect"
import { AppConfig } from "../Config.js"

/**
 * The fetch slots, with an adaptive limit (AIMD): a 429 halves it (not below 1), a window of
 * successes raises it by one, never above SCRAPER_API_MAX_CONCURRENT nor the plan's own limit.
 * Only one halving per window: the other requests that were already in flight when the limit fell
 * carry an older epoch and do not halve it again, so a 429 storm converges instead of spiralling.
 * The maximum itself follows the rollout settings (`resize`), read before each batch.
 */

export interface Slot {
  readonly epoch: number
}

export class Throttle extends Effect.Service<Throttle>()("Processing/Throttle", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const max = yield* TRef.make(config.maxConcurrent)
    const plan = yield* TRef.make(Number.POSITIVE_INFINITY)
    const limit = yield* TRef.make(config.maxConcurrent)
    const ceiling = yield* TRef.make(config.maxConcurrent)
    const inUse = yield* TRef.make(0)
    const epoch = yield* TRef.make(0)
    const successes = yield* TRef.make(0)

    const take: Effect.Effect<Slot> = STM.commit(
      STM.gen(function* () {
        const used = yield* TRef.get(inUse)
        const allowed = yield* TRef.get(limit)
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

    // A limit that 429s did not lower follows the ceiling; a lowered one climbs back by successes.
    const recap = STM.gen(function* () {
      const before = yield* TRef.get(ceiling)
      const cap = Math.max(1, Math.min(yield* TRef.get(max), yield* TRef.get(plan)))
      yield* TRef.set(ceiling, cap)
      yield* TRef.update(limit, (current) => (current >= before ? cap : Math.min(current, cap)))
    })

    /** The plan's own concurrency limit, from ScraperAPI's `/account`. */
    const capAt = (planLimit: number) => STM.commit(STM.zipRight(TRef.set(plan, planLimit), recap))

    /** The most pages in flight, as the rollout settings now say. */
    const resize = (maximum: number) => STM.commit(STM.zipRight(TRef.set(max, maximum), recap))

    const current = STM.commit(
      STM.all({
        limit: TRef.get(limit),
        inUse: TRef.get(inUse),
        ceiling: TRef.get(ceiling),
        max: TRef.get(max),
      }),
    )

    return { withSlot, rateLimited, succeeded, capAt, resize, current } as const
  }),
}) {}
