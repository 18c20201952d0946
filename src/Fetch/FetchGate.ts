import { Clock, Effect, Option, Ref } from "effect"
import { AppConfig } from "../Config.js"
import { Fleet } from "../Fleet/Fleet.js"
import { ScraperAccount } from "./ScraperAccount.js"

/**
 * Whether fetching through ScraperAPI may go on. A 403 (credits exhausted, key refused) pauses it for
 * WF7_CREDITS_PAUSE_SECONDS, logged at ERROR once; when the pause is over it goes on while `/account` says
 * the plan is still spent. The daily credit budget pauses through the same gate, until the next UTC day.
 */

export type FetcherState =
  { readonly state: "ok" } | { readonly state: "paused"; readonly until: Date; readonly reason: string }

export interface PlanState {
  readonly creditsLeft: boolean
  readonly concurrencyLimit: number | undefined
}

export interface PauseOptions {
  readonly until: Date
  readonly line: string
}

export class FetchGate extends Effect.Service<FetchGate>()("Fetch/FetchGate", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const account = yield* ScraperAccount
    const fleet = yield* Fleet
    const state = yield* Ref.make<FetcherState>({ state: "ok" })
    const pauseMillis = config.creditsPauseSeconds * 1000
    // One `/account` check of a gone node's pause at a time: the fetches waiting on it read its answer.
    const checking = yield* Effect.makeSemaphore(1)

    const pause = (reason: string, options?: PauseOptions) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const until = options?.until ?? new Date(now + pauseMillis)
        const started = yield* Ref.modify(state, (current): [boolean, FetcherState] =>
          current.state === "paused" ? [false, current] : [true, { state: "paused", until, reason }],
        )
        if (started) {
          yield* fleet.pause(until, reason)
          yield* Effect.logError(
            options?.line ?? "ScraperAPI refused requests: fetching paused, pages stay queued",
          ).pipe(Effect.annotateLogs({ reason, pauseSeconds: Math.round((until.getTime() - now) / 1000) }))
        }
      })

    /** Reads the plan: its concurrency limit, and whether its credits are spent (unknown: not spent). */
    const probe = Effect.gen(function* () {
      const info = yield* account.info
      if (Option.isNone(info)) return { creditsLeft: true, concurrencyLimit: undefined } satisfies PlanState
      const { concurrencyLimit, requestCount, requestLimit } = info.value
      const limit = concurrencyLimit !== undefined && concurrencyLimit > 0 ? concurrencyLimit : undefined
      if (limit !== undefined) yield* fleet.planLimit(limit)
      return {
        creditsLeft: requestLimit === undefined || requestCount === undefined || requestCount < requestLimit,
        concurrencyLimit: limit,
      } satisfies PlanState
    })

    // A pause left by a gone node is checked with `/account`, and cleared fleet-wide if credits are back.
    const adoptFleetPause = (now: number) =>
      Effect.gen(function* () {
        const shared = yield* fleet.paused
        if (
          shared === undefined ||
          shared.until.getTime() <= now ||
          (yield* Ref.get(state)).state === "paused"
        )
          return
        if (shared.byLiveNode)
          return yield* pause(shared.reason, {
            until: shared.until,
            line: "another node of the fleet paused fetching",
          })
        if ((yield* probe).creditsLeft) return yield* fleet.resume(shared.until)
        yield* pause(shared.reason)
      }).pipe(checking.withPermits(1))

    const current = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      // Read first without the semaphore: every fetch passes here, and almost always no pause is shared.
      if ((yield* fleet.paused) !== undefined) yield* adoptFleetPause(now)
      const before = yield* Ref.get(state)
      if (before.state === "ok" || before.until.getTime() > now) return before
      if (!(yield* probe).creditsLeft) {
        const extended: FetcherState = { ...before, until: new Date(now + pauseMillis) }
        yield* Ref.set(state, extended)
        yield* Effect.logWarning("ScraperAPI credits still exhausted: pause extended").pipe(
          Effect.annotateLogs({ until: extended.until.toISOString() }),
        )
        return extended
      }
      yield* Ref.set(state, { state: "ok" })
      yield* fleet.resume(before.until)
      yield* Effect.logInfo("ScraperAPI credits available again: fetching resumed")
      return { state: "ok" } as const
    })

    return { pause, probe, current } as const
  }),
}) {}
