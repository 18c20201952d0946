import type { SqlError } from "@effect/sql"
import { Duration, Effect, Either, Schedule } from "effect"
import { AppConfig } from "../Config.js"
import { CreditsExhausted, type FetchError } from "../Fetch/Errors.js"
import { PageFetcher } from "../Fetch/PageFetcher.js"
import { extract } from "../Extract/index.js"
import { observeAttempt, traceExtraction } from "../Observability/Instrument.js"
import { PagesRepo, type ClaimedPage, type Saved } from "../Pages/PagesRepo.js"
import { FetchGate } from "./FetchGate.js"
import { retryPolicy } from "./Retry.js"
import { Throttle } from "./Throttle.js"

/**
 * One page, start to end: fetch (retrying per SPEC §4, each attempt holding a slot only while it is
 * on the wire), extract, save. No database connection is held while the page is fetched.
 */

/** How a page ended; `reason` is the failure's tag (`PageGone`, `LeaseLost` …). */
export type PageOutcome =
  | { readonly outcome: "complete"; readonly saved: Saved }
  | { readonly outcome: "error"; readonly reason: string; readonly error: string }
  | { readonly outcome: "released" }
  | { readonly outcome: "lost"; readonly reason: string }

/** A database that restarts or drops a connection is waited for, not given up on. */
export const retryDatabase = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.tapError((error) =>
      isSqlError(error) ? Effect.logWarning("database call failed, retrying", error.message) : Effect.void,
    ),
    Effect.retry({
      while: isSqlError,
      schedule: Schedule.exponential(Duration.millis(200), 2).pipe(
        Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(10))),
        Schedule.jittered,
      ),
    }),
  )

const isSqlError = (error: { readonly _tag: string }): error is SqlError.SqlError => error._tag === "SqlError"

export class ProcessPage extends Effect.Service<ProcessPage>()("Processing/ProcessPage", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const fetcher = yield* PageFetcher
    const repo = yield* PagesRepo
    const throttle = yield* Throttle
    const gate = yield* FetchGate
    const policy = retryPolicy({
      attempts: config.retryAttempts,
      factor: config.retryBackoffFactor,
      baseSeconds: config.retryBaseSeconds,
    })

    // Pages already waiting for a slot when a pause starts go back to the queue without a request.
    const whileFetching = config.fallbackDirect
      ? Effect.void
      : Effect.flatMap(gate.current, (state) =>
          state.state === "paused"
            ? Effect.fail(new CreditsExhausted({ message: `fetching paused: ${state.reason}` }))
            : Effect.void,
        )

    const attempt = (url: string) =>
      throttle.withSlot((slot) =>
        Effect.zipRight(
          whileFetching,
          fetcher.fetch(url).pipe(
            observeAttempt,
            Effect.tap(() => throttle.succeeded),
            Effect.tapError((error) =>
              error._tag === "RateLimited" ? throttle.rateLimited(slot) : Effect.void,
            ),
          ),
        ),
      )

    const fetchPage = (url: string) =>
      attempt(url).pipe(
        Effect.tapError((error: FetchError) =>
          Effect.logDebug("fetch failed").pipe(
            Effect.annotateLogs({ url, error: error._tag, detail: error.message }),
          ),
        ),
        Effect.retry(policy),
        Effect.withSpan("wf7.fetch", { attributes: { "url.full": url } }),
      )

    const process = (page: ClaimedPage, owner: string) =>
      Effect.gen(function* () {
        const fetched = yield* Effect.either(fetchPage(page.url))
        if (Either.isLeft(fetched)) {
          const error = fetched.left
          if (error._tag === "CreditsExhausted") {
            yield* gate.pause(error.message)
            yield* retryDatabase(repo.release([page], owner))
            return { outcome: "released" } as const
          }
          const text = `${error._tag}: ${error.message}`
          yield* retryDatabase(repo.fail(page, owner, text))
          return { outcome: "error", reason: error._tag, error: text } as const
        }
        // Extraction is pure and total by design; should a page still break it, the page fails, not the daemon.
        const extraction = yield* Effect.try(() =>
          extract(fetched.right.html, { url: page.url, defaultRegion: config.defaultPhoneRegion }),
        ).pipe(
          Effect.tap(traceExtraction),
          Effect.withSpan("wf7.extract", { attributes: { bytes: fetched.right.bytes } }),
          Effect.either,
        )
        if (Either.isLeft(extraction)) {
          const text = `ExtractFailed: ${String(extraction.left.error)}`
          yield* retryDatabase(repo.fail(page, owner, text))
          return { outcome: "error", reason: "ExtractFailed", error: text } as const
        }
        const saved = yield* retryDatabase(repo.complete(page, owner, extraction.right)).pipe(
          Effect.withSpan("wf7.save"),
          Effect.catchTag("LeaseLost", () => Effect.succeed(undefined)),
        )
        return saved === undefined
          ? ({ outcome: "lost", reason: "LeaseLost" } as const)
          : ({ outcome: "complete", saved } as const)
      }).pipe(
        Effect.tap((result) => Effect.annotateCurrentSpan("page.outcome", result.outcome)),
        Effect.withSpan("wf7.page", {
          attributes: {
            "page.id": page.id,
            "page.host": hostOf(page.url),
            "page.attempt": page.processing_attempts,
          },
        }),
      )

    return { process } as const
  }),
}) {}

const hostOf = (url: string) => {
  try {
    return new URL(url).host
  } catch {
    return ""
  }
}
