import { expect } from "@effect/vitest"
import { Chunk, Clock, Duration, Effect, TestClock } from "effect"

/**
 * Waits (in real time, some 30 s at most) until `check` holds: the code under test works on real
 * I/O (Postgres, extraction threads) while the clock is the test's, which only the test moves.
 */
export const eventually = <E, R>(check: Effect.Effect<boolean, E, R>) =>
  Effect.gen(function* () {
    for (let tries = 0; tries < 3000 && !(yield* check); tries++) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
    }
    expect(yield* check).toBe(true)
  })

/** Whether `count` fibers sleep until `after` from now on the test clock: moving it sooner would miss them. */
export const asleepFor = (after: Duration.DurationInput, count = 1) =>
  Effect.gen(function* () {
    const at = (yield* Clock.currentTimeMillis) + Duration.toMillis(after)
    const wakeups = yield* TestClock.sleeps()
    return Chunk.size(Chunk.filter(wakeups, (wakeup) => wakeup === at)) >= count
  })
