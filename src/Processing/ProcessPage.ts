import { Duration, Effect } from "effect"
import { AppConfig } from "../Config.js"
import { capContacts, type Extraction } from "../Domain/Contact.js"
import { PagesRepo, type ClaimedPage, type PageSpend, type Saved } from "../Pages/PagesRepo.js"
import { describeSqlError } from "../SqlErrors.js"
import { FetchGate } from "./FetchGate.js"
import { FetchStep, hostOf } from "./FetchStep.js"
import { retryDatabase } from "./RetryDatabase.js"

/**
 * One page, start to end: fetch and extract (FetchStep: retries, slots, render escalation), save.
 * No database connection is held while the page is fetched.
 */

/** How a page ended; `reason` is the failure's tag (`PageGone`, `LeaseLost` …). */
export type PageOutcome =
  | { readonly outcome: "complete"; readonly saved: Saved }
  | { readonly outcome: "error"; readonly reason: string; readonly error: string }
  | { readonly outcome: "released" }
  | { readonly outcome: "lost"; readonly reason: string }

export class ProcessPage extends Effect.Service<ProcessPage>()("Processing/ProcessPage", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const repo = yield* PagesRepo
    const gate = yield* FetchGate
    const step = yield* FetchStep

    /** `Error` with its reason; should even that write be refused, the page's lease returns it. */
    const failPage = (page: ClaimedPage, owner: string, spend: PageSpend, reason: string, error: string) =>
      retryDatabase(repo.fail(page, owner, error, spend)).pipe(
        Effect.as({ outcome: "error", reason, error } as const),
      )

    /** Back to `Queued` with its attempt refunded and its credits counted: not the page's fault. */
    const releasePage = (page: ClaimedPage, owner: string, spend: PageSpend) =>
      retryDatabase(repo.release([page], owner, spend.credits)).pipe(
        Effect.as({ outcome: "released" } as const),
      )

    /** At most WF7_MAX_CONTACTS_PER_PAGE are stored; a save the database refuses fails the page with its message. */
    const save = (page: ClaimedPage, owner: string, extraction: Extraction, spend: PageSpend) =>
      Effect.gen(function* () {
        const { kept, dropped } = capContacts(extraction, config.maxContactsPerPage)
        if (dropped > 0) {
          yield* Effect.logWarning(
            "page has more contacts than WF7_MAX_CONTACTS_PER_PAGE; the rest are not stored",
          ).pipe(Effect.annotateLogs({ url: page.url, max: config.maxContactsPerPage, dropped }))
        }
        const saved = yield* retryDatabase(repo.complete(page, owner, kept, dropped, spend))
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
              Effect.zipRight(failPage(page, owner, spend, "SqlError", error)),
            )
          },
        }),
      )

    const process = (page: ClaimedPage, owner: string) =>
      Effect.gen(function* () {
        const result = yield* step.run(page)
        if (result._tag === "ExtractFailed") {
          return yield* failPage(
            page,
            owner,
            result.spend,
            "ExtractFailed",
            `ExtractFailed: ${result.message}`,
          )
        }
        if (result._tag === "Fetched") return yield* save(page, owner, result.extraction, result.spend)
        const { error, spend } = result
        if (error._tag === "CreditsExhausted") {
          yield* gate.pause(error.message)
          return yield* releasePage(page, owner, spend)
        }
        if (error._tag === "LocalResourceExhausted") {
          yield* Effect.logWarning(
            "out of file descriptors: page released to the queue, no attempt spent",
          ).pipe(Effect.annotateLogs({ url: page.url, detail: error.message }))
          // A short wait first, so that a lasting shortage does not become a claim-and-release spin.
          yield* Effect.sleep(Duration.seconds(config.retryBaseSeconds))
          return yield* releasePage(page, owner, spend)
        }
        return yield* failPage(page, owner, spend, error._tag, `${error._tag}: ${error.message}`)
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
