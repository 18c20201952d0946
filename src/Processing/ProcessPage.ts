import { SqlError } from "@effect/sql"
import { Duration, Effect, Either, Schedule } from "effect"
import { AppConfig } from "../Config.js"
import { CreditsExhausted, type FetchError } from "../Fetch/Errors.js"
import { PageFetcher } from "../Fetch/PageFetcher.js"
import { capContacts, type Extraction } from "../Domain/Contact.js"
import { extract } from "../Extract/index.js"
import { observeAttempt, traceExtraction } from "../Observability/Instrument.js"
import { PagesRepo, type ClaimedPage, type Saved } from "../Pages/PagesRepo.js"
import { describeSqlError, isConnectionError } from "../SqlErrors.js"
import { FetchGate } from "./FetchGate.js"
import { HostBackoff } from "./HostBackoff.js"
import { retryPolicy } from "./Retry.js"
import { Throttle, type Slot } from "./Throttle.js"

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

/**
 * A database that restarts or drops a connection is waited for; a statement it refuses fails the
 * same way every time, so it is not retried but returned to the caller.
 */
export const retryDatabase = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.tapError((error) =>
      isRetried(error)
        ? Effect.logWarning("database call failed, retrying", describeSqlError(error))
        : Effect.void,
    ),
    Effect.retry({
      while: isRetried,
      schedule: Schedule.exponential(Duration.millis(200), 2).pipe(
        Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(10))),
        Schedule.jittered,
      ),
    }),
  )

const isRetried = (error: { readonly _tag: string }): error is SqlError.SqlError =>
  error instanceof SqlError.SqlError && isConnectionError(error)

export class ProcessPage extends Effect.Service<ProcessPage>()("Processing/ProcessPage", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const fetcher = yield* PageFetcher
    const repo = yield* PagesRepo
    const throttle = yield* Throttle
    const gate = yield* FetchGate
    const backoff = yield* HostBackoff
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

    // Only ScraperAPI's own 429 shrinks the concurrency limit; a site's holds back that site alone.
    const rateLimited = (slot: Slot, error: FetchError) => {
      if (error._tag !== "RateLimited") return Effect.void
      if (error.site === undefined) return throttle.rateLimited(slot)
      return backoff.limited(error.site, error.retryAfter ?? Duration.seconds(config.retryBaseSeconds))
    }

    // A host backing off is waited for before a slot is taken, so the wait holds no slot.
    const attempt = (url: string) =>
      Effect.zipRight(
        backoff.wait(hostOf(url)),
        throttle.withSlot((slot) =>
          Effect.zipRight(
            whileFetching,
            fetcher.fetch(url).pipe(
              observeAttempt,
              Effect.tap(() => throttle.succeeded),
              Effect.tapError((error) => rateLimited(slot, error)),
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

    /** `Error` with its reason; should even that write be refused, the page's lease returns it. */
    const failPage = (page: ClaimedPage, owner: string, reason: string, error: string) =>
      retryDatabase(repo.fail(page, owner, error)).pipe(
        Effect.as({ outcome: "error", reason, error } as const),
      )

    /** At most WF7_MAX_CONTACTS_PER_PAGE are stored; a save the database refuses fails the page with its message. */
    const save = (page: ClaimedPage, owner: string, extraction: Extraction) =>
      Effect.gen(function* () {
        const { kept, dropped } = capContacts(extraction, config.maxContactsPerPage)
        if (dropped > 0) {
          yield* Effect.logWarning(
            "page has more contacts than WF7_MAX_CONTACTS_PER_PAGE; the rest are not stored",
          ).pipe(Effect.annotateLogs({ url: page.url, max: config.maxContactsPerPage, dropped }))
        }
        const saved = yield* retryDatabase(repo.complete(page, owner, kept, dropped))
        return { outcome: "complete", saved } as const
      }).pipe(
        Effect.withSpan("wf7.save"),
        Effect.catchTags({
          LeaseLost: () => Effect.succeed({ outcome: "lost", reason: "LeaseLost" } as const),
          SqlError: (refused) => {
            const error = describeSqlError(refused)
            return Effect.logWarning(
              "the database refused a page's save; the page fails with its message",
            ).pipe(
              Effect.annotateLogs({ url: page.url, error }),
              Effect.zipRight(failPage(page, owner, "SqlError", error)),
            )
          },
        }),
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
          if (error._tag === "LocalResourceExhausted") {
            yield* Effect.logWarning(
              "out of file descriptors: page released to the queue, no attempt spent",
            ).pipe(Effect.annotateLogs({ url: page.url, detail: error.message }))
            // A short wait first, so that a lasting shortage does not become a claim-and-release spin.
            yield* Effect.sleep(Duration.seconds(config.retryBaseSeconds))
            yield* retryDatabase(repo.release([page], owner))
            return { outcome: "released" } as const
          }
          return yield* failPage(page, owner, error._tag, `${error._tag}: ${error.message}`)
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
          return yield* failPage(
            page,
            owner,
            "ExtractFailed",
            `ExtractFailed: ${String(extraction.left.error)}`,
          )
        }
        return yield* save(page, owner, extraction.right)
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
