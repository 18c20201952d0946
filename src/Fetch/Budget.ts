import { Clock, Effect, Option, Ref } from "effect"
import { AppConfig } from "../Config.js"
import { CreditsRepo } from "../Pages/CreditsRepo.js"
import { FetchGate } from "./FetchGate.js"
import { stored } from "../Pages/RetryDatabase.js"

/**
 * WF7_CREDITS_DAILY_BUDGET: every billed answer is added to the UTC day's spend in the database;
 * once the day's spend reaches the budget, fetching pauses (the FetchGate's pause: pages stay queued)
 * until the next UTC midnight.
 */

const DAY_MILLIS = 24 * 3600 * 1000

const dayOf = (millis: number) => new Date(millis).toISOString().slice(0, 10)

export class Budget extends Effect.Service<Budget>()("Fetch/Budget", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const repo = yield* CreditsRepo
    const gate = yield* FetchGate
    // The day this process last read the spend of: read once a day, then kept by `charge`'s totals.
    const known = yield* Ref.make<Option.Option<{ readonly day: string; readonly spent: number }>>(
      Option.none(),
    )

    const pauseIfSpent = (now: number, spent: number) =>
      Option.match(config.creditsDailyBudget, {
        onNone: () => Effect.void,
        onSome: (budget) => {
          if (spent < budget) return Effect.void
          const until = new Date((Math.floor(now / DAY_MILLIS) + 1) * DAY_MILLIS)
          return gate.pause(`daily credit budget of ${budget} reached (${spent} spent)`, {
            until,
            line: `WF7_CREDITS_DAILY_BUDGET reached: fetching paused until ${until.toISOString()}, pages stay queued`,
          })
        },
      })

    /** Before a request: the day's spend (read once a day) may already be past the budget. */
    const checkSpend = Effect.fn("Budget.check")(function* () {
      const now = yield* Clock.currentTimeMillis
      const day = dayOf(now)
      const current = yield* Ref.get(known)
      const spent =
        Option.isSome(current) && current.value.day === day
          ? current.value.spent
          : yield* stored(repo.spentOn(day))
      yield* Ref.set(known, Option.some({ day, spent }))
      yield* pauseIfSpent(now, spent)
    })
    // Without a budget there is nothing to check: no span on every request.
    const check = () => (Option.isNone(config.creditsDailyBudget) ? Effect.void : checkSpend())

    // Credits not yet written, and whether a write is under way: the day's row is one row every page
    // would wait on, so answers that come while it is written go in the next write, together.
    let unwritten = 0
    let writing = false

    const write = Effect.gen(function* () {
      while (unwritten > 0) {
        const credits = unwritten
        unwritten = 0
        const now = yield* Clock.currentTimeMillis
        const day = dayOf(now)
        const spent = yield* stored(repo.charge(day, credits))
        yield* Ref.set(known, Option.some({ day, spent }))
        yield* pauseIfSpent(now, spent)
      }
    }).pipe(
      // Credits taken for a write are written even if the page that started it is interrupted.
      Effect.uninterruptible,
      Effect.ensuring(Effect.sync(() => (writing = false))),
    )

    /** A billed answer: added to the day's spend (every daemon's), which may end the day's fetching. */
    const charge = (credits: number) =>
      Effect.suspend(() => {
        if (credits <= 0) return Effect.void
        unwritten += credits
        if (writing) return Effect.void
        writing = true
        return write
      })

    return { check, charge } as const
  }),
  dependencies: [CreditsRepo.Default, FetchGate.Default],
}) {}
