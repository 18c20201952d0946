import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { MIN_SAMPLES, Rollback } from "../../src/Processing/Rollback.js"
import { configFrom } from "../support/TestConfig.js"

const rollback = Rollback.Default.pipe(
  Layer.provide(configFrom({ WF7_ROLLBACK_ERROR_RATE: "0.2", WF7_ROLLBACK_COOLDOWN_SECONDS: "600" })),
)

const batch = (ok: number, failed: number) => [
  ...Array.from({ length: ok }, () => true),
  ...Array.from({ length: failed }, () => false),
]

describe("Rollback", () => {
  it.effect("stays concurrent while the error rate is at or under the threshold", () =>
    Effect.gen(function* () {
      const { record, rolledBackUntil } = yield* Rollback
      for (let i = 0; i < 10; i++) expect(yield* record(batch(8, 2))).toBe(false)
      expect(yield* rolledBackUntil).toBeUndefined()
    }).pipe(Effect.provide(rollback)),
  )

  it.effect("needs enough outcomes before judging", () =>
    Effect.gen(function* () {
      const { record, rolledBackUntil } = yield* Rollback
      expect(yield* record(batch(0, MIN_SAMPLES - 1))).toBe(false)
      expect(yield* rolledBackUntil).toBeUndefined()
    }).pipe(Effect.provide(rollback)),
  )

  it.effect("falls back to sequential for the cooldown, then resumes", () =>
    Effect.gen(function* () {
      const { record, rolledBackUntil } = yield* Rollback
      yield* record(batch(10, 0))
      expect(yield* record(batch(5, 5))).toBe(true)
      expect((yield* rolledBackUntil)?.getTime()).toBe(600_000)
      yield* TestClock.adjust("599 seconds")
      expect(yield* rolledBackUntil).toBeDefined()
      yield* TestClock.adjust("1 second")
      expect(yield* rolledBackUntil).toBeUndefined()
      // A fresh window after the cooldown: one bad batch alone does not trip it again.
      expect(yield* record(batch(0, 3))).toBe(false)
    }).pipe(Effect.provide(rollback)),
  )
})
