import { Clock, Effect, Ref } from "effect"
import { AppConfig } from "../Config.js"
import { countsByTag } from "./Outcomes.js"

/**
 * Automatic rollback of the rollout: when concurrent pages run into `SYSTEM_TROUBLE` at a rate above
 * WF7_ROLLBACK_ERROR_RATE over a sliding window, processing is sequential for WF7_ROLLBACK_COOLDOWN_SECONDS,
 * then concurrent again with a fresh window. A page's own failure (404, DNS …) is a fine outcome here.
 */

export const WINDOW = 50
/** No verdict on fewer outcomes than this: two early failures are not a trend. */
export const MIN_SAMPLES = 10

interface Trip {
  readonly failed: ReadonlyArray<string>
  readonly seen: number
}

interface State {
  readonly outcomes: ReadonlyArray<string>
  readonly until: number
}

export class Rollback extends Effect.Service<Rollback>()("Processing/Rollback", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const state = yield* Ref.make<State>({ outcomes: [], until: 0 })

    /** Records a concurrent batch's page verdicts; returns true when it rolls back. */
    const record = (outcomes: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const cooldown = config.rollbackCooldownSeconds * 1000
        const tripped = yield* Ref.modify(state, (current): [Trip | undefined, State] => {
          const window = [...current.outcomes, ...outcomes].slice(-WINDOW)
          const failed = window.filter((verdict) => verdict !== "ok")
          const trips =
            window.length >= MIN_SAMPLES && failed.length / window.length > config.rollbackErrorRate
          return trips
            ? [
                { failed, seen: window.length },
                { outcomes: [], until: now + cooldown },
              ]
            : [undefined, { ...current, outcomes: window }]
        })
        if (tripped === undefined) return false
        const until = new Date(now + cooldown).toISOString()
        const errors = countsByTag(tripped.failed)
        yield* Effect.logError(
          `WF7 rollback: concurrent error rate too high, processing sequentially until ${until} ` +
            `(${errors} in the last ${tripped.seen} pages)`,
        ).pipe(
          Effect.annotateLogs({
            errors,
            until,
            threshold: config.rollbackErrorRate,
            cooldownSeconds: config.rollbackCooldownSeconds,
          }),
        )
        return true
      })

    const rolledBackUntil = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const { until } = yield* Ref.get(state)
      return until > now ? new Date(until) : undefined
    })

    return { record, rolledBackUntil } as const
  }),
}) {}
