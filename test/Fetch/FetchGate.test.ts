import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, TestClock } from "effect"
import { ScraperAccount, type AccountInfo } from "../../src/Fetch/ScraperAccount.js"
import { FetchGate } from "../../src/Fetch/FetchGate.js"
import { configFrom } from "../support/TestConfig.js"
import { soloFleet } from "../support/TestFleet.js"

/** The gate over an account whose `/account` answer the test sets. */
const gateWith = (account: Ref.Ref<AccountInfo>) =>
  FetchGate.Default.pipe(
    Layer.provide(soloFleet),
    Layer.provide(
      Layer.succeed(ScraperAccount, ScraperAccount.make({ info: Effect.map(Ref.get(account), Option.some) })),
    ),
    Layer.provideMerge(configFrom({ WF7_CREDITS_PAUSE_SECONDS: "900", SCRAPER_API_MAX_CONCURRENT: "10" })),
  )

describe("FetchGate (credits exhausted)", () => {
  it.effect(
    "pauses for WF7_CREDITS_PAUSE_SECONDS, asks /account, and resumes only when credits are back",
    () =>
      Effect.gen(function* () {
        const account = yield* Ref.make<AccountInfo>({
          requestCount: 1000,
          requestLimit: 1000,
          concurrencyLimit: 5,
        })
        yield* Effect.gen(function* () {
          const gate = yield* FetchGate
          yield* gate.pause("You have exhausted the API Credits")
          yield* gate.pause("You have exhausted the API Credits")
          expect((yield* gate.current).state).toBe("paused")
          yield* TestClock.adjust("899 seconds")
          expect((yield* gate.current).state).toBe("paused")
          yield* TestClock.adjust("1 second")
          // Still spent: the pause goes on for another period.
          const extended = yield* gate.current
          expect(extended.state === "paused" && extended.until.getTime()).toBe(1800_000)
          yield* Ref.set(account, { requestCount: 0, requestLimit: 1000, concurrencyLimit: 5 })
          yield* TestClock.adjust("900 seconds")
          expect((yield* gate.current).state).toBe("ok")
          // The plan's concurrency limit, for the slots to be capped at.
          expect(yield* gate.probe).toEqual({ creditsLeft: true, concurrencyLimit: 5 })
        }).pipe(Effect.provide(gateWith(account)))
      }),
  )
})
