import { Duration, Effect, Exit } from "effect"
import { AppConfig } from "../Config.js"
import { capContacts, type Extraction } from "../Domain/Contact.js"
import type { ClaimedPage } from "../Domain/Page.js"
import { notePageOutcome, pageSpan } from "../Observability/Instrument.js"
import type { PageResult, Saved } from "../Pages/PageSaves.js"
import type { PageSpend } from "../Pages/PagesRepo.js"
import { FetchStep, hostOf } from "./FetchStep.js"
import { Lease } from "./Lease.js"
import { Saver } from "./Saver.js"

/**
 * One page, start to end: fetch and extract (FetchStep: retries, slots, render escalation), then
 * the save stage. No database connection is held while the page is fetched, and no fetch slot while
 * it is extracted or saved.
 */

export type PageOutcome =
  | { readonly outcome: "complete"; readonly saved: Saved }
  | { readonly outcome: "error"; readonly reason: string; readonly error: string }
  | { readonly outcome: "released" }
  | { readonly outcome: "lost"; readonly reason: string }

export class ProcessPage extends Effect.Service<ProcessPage>()("Processing/ProcessPage", {
  effect: Effect.gen(function* () {
    const { maxContactsPerPage, retryBaseSeconds } = yield* AppConfig
    const step = yield* FetchStep
    const lease = yield* Lease
    const saver = yield* Saver

    const save = (page: ClaimedPage, spend: PageSpend, result: PageResult, reason: string) =>
      Effect.map(saver.save({ page, spend, result }), (saving): PageOutcome => {
        switch (saving._tag) {
          case "Complete":
            return { outcome: "complete", saved: saving.saved }
          case "Error":
            return result._tag === "Error"
              ? { outcome: "error", reason, error: result.error }
              : { outcome: "lost", reason: "Defect" }
          case "Refused":
            return { outcome: "error", reason: "SqlError", error: saving.error }
          case "LeaseLost":
            return { outcome: "lost", reason: "LeaseLost" }
          case "Failed":
            return { outcome: "lost", reason: saving.reason }
        }
      })

    const failed = (page: ClaimedPage, spend: PageSpend, reason: string, error: string) =>
      save(page, spend, { _tag: "Error", error }, reason)

    /** Back to `Queued` with its attempt refunded and its credits counted: not the page's fault. */
    const releasePage = (page: ClaimedPage, spend: PageSpend) =>
      Effect.as(lease.release(page, spend.credits), { outcome: "released" } as const)

    const completed = (page: ClaimedPage, spend: PageSpend, extraction: Extraction) => {
      const { kept, dropped } = capContacts(extraction, maxContactsPerPage)
      const warned =
        dropped === 0
          ? Effect.void
          : Effect.logWarning(
              "page has more contacts than WF7_MAX_CONTACTS_PER_PAGE; the rest are not stored",
            ).pipe(Effect.annotateLogs({ url: page.url, max: maxContactsPerPage, dropped }))
      return Effect.zipRight(warned, save(page, spend, { _tag: "Complete", extraction: kept, dropped }, ""))
    }

    /** `fetched` runs once the page no longer needs the upstream: the scheduler may claim more. */
    const process = (page: ClaimedPage, fetched: Effect.Effect<void>) =>
      Effect.gen(function* () {
        const result = yield* Effect.ensuring(step.run(page), fetched)
        if (result._tag === "Fetched") return yield* completed(page, result.spend, result.extraction)
        if (result._tag === "ExtractFailed")
          return yield* failed(page, result.spend, "ExtractFailed", `ExtractFailed: ${result.message}`)
        const { error, spend } = result
        if (error._tag === "CreditsExhausted") return yield* releasePage(page, spend)
        if (error._tag === "LocalResourceExhausted") {
          yield* Effect.logWarning(
            "out of file descriptors: page released to the queue, no attempt spent",
          ).pipe(Effect.annotateLogs({ url: page.url, detail: error.message }))
          // A short wait first, so that a lasting shortage does not become a claim-and-release spin.
          yield* Effect.sleep(Duration.seconds(retryBaseSeconds))
          return yield* releasePage(page, spend)
        }
        return yield* failed(page, spend, error._tag, `${error._tag}: ${error.message}`)
      }).pipe(
        // An interrupted page (shutdown) stays held, for the Lease to release it with its attempt refunded.
        Effect.onExit((exit) => (Exit.isInterrupted(exit) ? Effect.void : lease.done(page))),
        Effect.tap((result) => notePageOutcome(result.outcome)),
        pageSpan("wf7.page", () => ({
          "page.id": page.id,
          "page.host": hostOf(page.url),
          "page.attempt": page.processing_attempts,
        })),
      )

    return { process } as const
  }),
  dependencies: [FetchStep.Default, Lease.Default, Saver.Default],
}) {}
