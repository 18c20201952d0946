import { describe, expect, it } from "@effect/vitest"
import { SqlError } from "@effect/sql/SqlError"
import { Cause, Effect, Layer, TestClock } from "effect"
import { reasonOfCause, verdictOf } from "../../src/Processing/Outcomes.js"
import { MIN_SAMPLES, Rollback } from "../../src/Processing/Rollback.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import { configFrom } from "../support/TestConfig.js"

const rollback = Rollback.Default.pipe(
  Layer.provide(configFrom({ WF7_ROLLBACK_ERROR_RATE: "0.2", WF7_ROLLBACK_COOLDOWN_SECONDS: "600" })),
)

const batch = (ok: number, failed: number, tag = "UpstreamFailed") => [
  ...Array.from({ length: ok }, () => "ok"),
  ...Array.from({ length: failed }, () => tag),
]

/** The error lines logged while `effect` runs. */
const errorLines = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const lines: Array<LogLine> = []
    yield* collectLogs(effect, lines)
    return lines.filter((line) => line.level === "ERROR").map(({ message, fields }) => ({ message, fields }))
  })

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

  it.effect("falls back to sequential for the cooldown, says why and until when, then resumes", () =>
    Effect.gen(function* () {
      const { record, rolledBackUntil } = yield* Rollback
      yield* TestClock.adjust("10 seconds")
      yield* record(batch(10, 0))
      const lines = yield* errorLines(
        Effect.gen(function* () {
          expect(yield* record([...batch(5, 3), ...batch(0, 2, "FetchTimeout")])).toBe(true)
        }),
      )
      expect(lines).toEqual([
        {
          message:
            "WF7 rollback: concurrent error rate too high, processing sequentially until " +
            "1970-01-01T00:10:10.000Z (3 UpstreamFailed, 2 FetchTimeout in the last 20 pages)",
          fields: expect.objectContaining({
            errors: "3 UpstreamFailed, 2 FetchTimeout",
            until: "1970-01-01T00:10:10.000Z",
          }),
        },
      ])
      expect((yield* rolledBackUntil)?.getTime()).toBe(610_000)
      yield* TestClock.adjust("599 seconds")
      expect(yield* rolledBackUntil).toBeDefined()
      yield* TestClock.adjust("1 second")
      expect(yield* rolledBackUntil).toBeUndefined()
      // A fresh window after the cooldown: one bad batch alone does not trip it again.
      expect(yield* record(batch(0, 3))).toBe(false)
    }).pipe(Effect.provide(rollback)),
  )

  it.effect("a page's own failures (404, DNS, 400, too large, refused) never roll back", () =>
    Effect.gen(function* () {
      const { record, rolledBackUntil } = yield* Rollback
      const own = ["PageGone", "HostNotFound", "BadRequest", "PageTooLarge", "TargetRefused", "ExtractFailed"]
      const verdicts = own.map((reason) => verdictOf({ outcome: "error", reason, error: `${reason}: x` }))
      expect(verdicts).toEqual(own.map(() => "ok"))
      const lines = yield* errorLines(
        Effect.gen(function* () {
          for (let i = 0; i < 10; i++)
            expect(yield* record(verdicts.flatMap((verdict) => verdict ?? []))).toBe(false)
        }),
      )
      expect(lines).toEqual([])
      expect(yield* rolledBackUntil).toBeUndefined()
    }).pipe(Effect.provide(rollback)),
  )

  it.effect("system trouble counts: ScraperAPI 5xx, timeouts, transport and database errors", () =>
    Effect.gen(function* () {
      const trouble = ["UpstreamFailed", "FetchTimeout", "TransportError", "RateLimited"].map((reason) =>
        verdictOf({ outcome: "error", reason, error: `${reason}: x` }),
      )
      expect(trouble).toEqual(["UpstreamFailed", "FetchTimeout", "TransportError", "RateLimited"])
      expect(verdictOf({ outcome: "lost", reason: "SqlError" })).toBe("SqlError")
      // A page that died of a database error (a defect past the repository) is named after it.
      const sqlError = new SqlError({ cause: new Error("connection terminated"), message: "lost" })
      expect(reasonOfCause(Cause.die(sqlError))).toBe("SqlError")
      expect(reasonOfCause(Cause.die(new Error("bug")))).toBe("Defect")
      // A page taken over by another worker, or released while paused, says nothing of the system.
      expect(verdictOf({ outcome: "lost", reason: "LeaseLost" })).toBeUndefined()
      expect(verdictOf({ outcome: "released" })).toBeUndefined()
      const { record } = yield* Rollback
      expect(yield* record([...batch(7, 0), ...trouble.flatMap((verdict) => verdict ?? [])])).toBe(true)
    }).pipe(Effect.provide(rollback)),
  )
})
