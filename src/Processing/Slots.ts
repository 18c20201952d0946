import { Effect } from "effect"
import { AppConfig } from "../Config.js"

/**
 * The upstream's fetch slots, with an adaptive limit (AIMD): a 429 halves it (not below 1), a window of
 * successes raises it by one, never above the rollout's maximum (`resize`), the plan's limit (`capAt`)
 * nor the fleet's share (`capTo`). Requests in flight when the limit fell carry an older epoch and do not
 * halve it again, so a 429 storm converges instead of spiralling.
 */

export interface Slot {
  readonly epoch: number
}

export interface SlotsState {
  readonly limit: number
  readonly wanted: number
  readonly inUse: number
  readonly ceiling: number
  readonly max: number
}

export class Slots extends Effect.Service<Slots>()("Processing/Slots", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    let max = config.maxConcurrent
    let plan = Number.POSITIVE_INFINITY
    // Plain numbers, changed only between yields: every fetch passes here.
    let aimd = max
    let ceiling = max
    let cap: number | undefined
    let inUse = 0
    let epoch = 0
    let successes = 0
    // A cap of 0 is real: a fleet node with no demand, or fenced off the database, holds no slot.
    const effective = () => Math.min(aimd, cap ?? aimd)
    // A freed slot wakes the first waiter only: Effect's semaphore wakes all, dearer than 1,000 pages.
    const waiting = new Set<() => void>()

    // Pages started, to queue for a slot, only while few already queue: a page waiting as a fiber holds
    // its whole pipeline (about 30 KB), a page not started only its claimed row.
    const starting: Array<() => void> = []
    const queuedAhead = () => Math.max(8, Math.ceil(effective() / 8))
    const admitStarts = () => {
      while (waiting.size < queuedAhead()) {
        const start = starting.shift()
        if (start === undefined) return
        start()
      }
    }

    const handOver = () => {
      for (const wake of waiting) {
        if (inUse >= effective()) break
        waiting.delete(wake)
        inUse++
        wake()
      }
      admitStarts()
    }

    // The slot is counted when it is handed over, so a waiter that is interrupted meanwhile gives it back.
    const acquire = Effect.async<void>((resume) => {
      if (waiting.size === 0 && inUse < effective()) {
        inUse++
        return resume(Effect.void)
      }
      let woken = false
      const wake = () => {
        woken = true
        resume(Effect.void)
      }
      waiting.add(wake)
      return Effect.sync(() => {
        if (!woken) return void waiting.delete(wake)
        inUse--
        handOver()
      })
    })

    /** Waits until few pages queue for a slot: a batch starts its pages through this, one at a time. */
    const admit = Effect.async<void>((resume) => {
      if (starting.length === 0 && waiting.size < queuedAhead()) return resume(Effect.void)
      const start = () => resume(Effect.void)
      starting.push(start)
      return Effect.sync(() => {
        const at = starting.indexOf(start)
        if (at >= 0) starting.splice(at, 1)
      })
    })

    const release = Effect.sync(() => {
      inUse--
      handOver()
    })
    const apply = Effect.sync(handOver)

    /** Runs `effect` holding one slot; the slot is free again before any retry backoff starts. */
    const withSlot = <A, E, R>(effect: (slot: Slot) => Effect.Effect<A, E, R>) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.zipRight(
          restore(acquire),
          Effect.ensuring(restore(Effect.suspend(() => effect({ epoch }))), release),
        ),
      )

    const rateLimited = (slot: Slot) =>
      Effect.suspend(() => {
        if (slot.epoch !== epoch) return Effect.succeed(false)
        aimd = Math.max(1, Math.floor(aimd / 2))
        epoch++
        successes = 0
        return Effect.as(apply, true)
      })

    const succeeded = Effect.suspend(() => {
      successes++
      if (successes < aimd || aimd >= ceiling) return Effect.void
      successes = 0
      aimd++
      return apply
    })

    // A limit that 429s did not lower follows the ceiling; a lowered one climbs back by successes.
    const recap = Effect.suspend(() => {
      const before = ceiling
      ceiling = Math.max(1, Math.min(max, plan))
      aimd = aimd >= before ? ceiling : Math.min(aimd, ceiling)
      return apply
    })

    const capAt = (planLimit: number) =>
      Effect.zipRight(
        Effect.sync(() => (plan = planLimit)),
        recap,
      )

    const resize = (maximum: number) =>
      Effect.zipRight(
        Effect.sync(() => (max = maximum)),
        recap,
      )

    const capTo = (limit: number | undefined) =>
      Effect.suspend(() => {
        cap = limit === undefined ? undefined : Math.max(0, limit)
        return apply
      })

    const current = Effect.sync((): SlotsState => ({ limit: effective(), wanted: aimd, inUse, ceiling, max }))

    return { withSlot, admit, rateLimited, succeeded, capAt, capTo, resize, current } as const
  }),
}) {}
