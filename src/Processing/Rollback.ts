import { Clock, Effect, Ref } from "effect"
import { AppConfig } from "../Config.js"

/**
 * Automatic rollback of the rollout: when the pages of concurrent batches fail at a rate above
 * WF7_ROLLBACK_ERROR_RATE over a sliding window, processing is sequential for
 * WF7_ROLLBACK_COOLDOWN_SECONDS, then concurrent again with a fresh window.
 */

/** How many recent concurrent page outcomes the error rate is computed over. */
export const WINDOW = 50
/** No verdict on fewer outcomes than this: two early failures are not a trend. */
export const MIN_SAMPLES = 10

interface State {
  readonly outcomes: ReadonlyArray<boolean>
  readonly until: number
}

export class Rollback extends Effect.Service<Rollback>()("Processing/Rollback", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const state = yield* Ref.make<State>({ outcomes: [], until: 0 })

    /** Records a concurrent batch's page outcomes (true = complete); returns true when it rolls back. */
    const record = (outcomes: ReadonlyArray<boolean>) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const cooldown = config.rollbackCooldownSeconds * 1000
        const tripped = yield* Ref.modify(state, (current): [boolean, State] => {
          const window = [...current.outcomes, ...outcomes].slice(-WINDOW)
          const failed = window.filter((ok) => !ok).length
          const trips = window.length >= MIN_SAMPLES && failed / window.length > config.rollbackErrorRate
          return trips
            ? [true, { outcomes: [], until: now + cooldown }]
            : [false, { ...current, outcomes: window }]
        })
        if (tripped) {
          yield* Effect.logError(
            "WF7 rollback: concurrent error rate too high, processing sequentially",
          ).pipe(
            Effect.annotateLogs({
              threshold: config.rollbackErrorRate,
              cooldownSeconds: config.rollbackCooldownSeconds,
            }),
          )
        }
        return tripped
      })

    /** Until when processing stays sequential, if it is rolled back now. */
    const rolledBackUntil = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const { until } = yield* Ref.get(state)
      return until > now ? new Date(until) : undefined
    })

    return { record, rolledBackUntil } as const
  }),
}) {}
