import { Duration, Effect, Either, Ref } from "effect"
import { AppConfig } from "../Config.js"
import type { Extraction } from "../Domain/Contact.js"
import type { ClaimedPage } from "../Domain/Page.js"
import { Fleet } from "../Fleet/Fleet.js"
import type { FetchError } from "../Fetch/Errors.js"
import { GatedFetcher } from "../Fetch/GatedFetcher.js"
import type { FetchedPage } from "../Fetch/PageFetcher.js"
import { observeAttempt, pageSpan, renderDecided, traceExtraction } from "../Observability/Instrument.js"
import { CreditsRepo } from "../Pages/CreditsRepo.js"
import type { PageSpend } from "../Pages/PagesRepo.js"
import { stored } from "../Pages/RetryDatabase.js"
import type { PageReading } from "../Extract/Reading.js"
import { Extractor } from "./Extractor.js"
import { HostBackoff } from "./HostBackoff.js"
import { retryOnFailure, retryPolicy } from "./Retry.js"
import { Slots, type Slot } from "./Slots.js"

/**
 * A page's fetch and extraction: retried per SPEC §4, each attempt holding a slot only while on the
 * wire, and with WF7_RENDER=auto a plain fetch first, rendered again only when `renderReason` says
 * the plain page is worth it (or its domain is known to need rendering). Every billed answer is
 * added to the page's credits and to the day's budget.
 */

export type StepResult =
  | {
      readonly _tag: "Fetched"
      readonly extraction: Extraction
      readonly bytes: number
      readonly spend: PageSpend
    }
  | { readonly _tag: "FetchFailed"; readonly error: FetchError; readonly spend: PageSpend }
  | { readonly _tag: "ExtractFailed"; readonly message: string; readonly spend: PageSpend }

type Failure =
  | { readonly _tag: "FetchFailed"; readonly error: FetchError }
  | { readonly _tag: "ExtractFailed"; readonly message: string }

interface Got {
  readonly reading: PageReading
  readonly bytes: number
}

const foundOn = (extraction: Extraction) => extraction.emails.length + extraction.phones.length > 0

export const hostOf = (url: string) => {
  try {
    return new URL(url).host
  } catch {
    return ""
  }
}

export class FetchStep extends Effect.Service<FetchStep>()("Processing/FetchStep", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const fetcher = yield* GatedFetcher
    const slots = yield* Slots
    const fleet = yield* Fleet
    const backoff = yield* HostBackoff
    const credits = yield* CreditsRepo
    const extractor = yield* Extractor
    const policy = retryPolicy({
      attempts: config.retryAttempts,
      factor: config.retryBackoffFactor,
      baseSeconds: config.retryBaseSeconds,
    })
    const proxied = config.fetchMode === "scraperapi"

    // Only ScraperAPI's own 429 shrinks the concurrency limit; a site's holds back that site alone.
    const rateLimited = (slot: Slot, error: FetchError) => {
      if (error._tag !== "RateLimited") return Effect.void
      if (error.site === undefined)
        return Effect.flatMap(slots.rateLimited(slot), (halved) => (halved ? fleet.rateLimited : Effect.void))
      return backoff.limited(error.site, error.retryAfter ?? Duration.seconds(config.retryBaseSeconds))
    }

    // A host backing off is waited for before a slot is taken, so the wait holds no slot.
    const attempt = (url: string, render: boolean, spent: Ref.Ref<number>) => {
      const billed = (cost: number) =>
        Effect.zipRight(
          Ref.update(spent, (sum) => sum + cost),
          fetcher.charge(cost),
        )
      return Effect.zipRight(
        backoff.wait(hostOf(url)),
        slots.withSlot((slot) =>
          fetcher.fetch(url, { render }).pipe(
            observeAttempt,
            Effect.tap(() => slots.succeeded),
            Effect.tapError((error) => rateLimited(slot, error)),
          ),
        ),
        // Charged after the slot is let go: the budget's statement waits for no request.
      ).pipe(
        Effect.tap((page) => billed(page.credits)),
        Effect.tapErrorTag("PageGone", (gone) => billed(gone.credits ?? 0)),
      )
    }

    const fetchPage = (url: string, render: boolean, spent: Ref.Ref<number>) =>
      attempt(url, render, spent).pipe(
        Effect.tapError((error: FetchError) =>
          Effect.logDebug("fetch failed").pipe(
            Effect.annotateLogs({ url, error: error._tag, detail: error.message }),
          ),
        ),
        (once) => retryOnFailure(once, policy),
        pageSpan("wf7.fetch", () => ({ "url.full": url, "fetch.render": render })),
      )

    // Extraction is pure and total by design; should a page still break it, the page fails, not the daemon.
    // Extraction takes the body's bytes (Extract/Arena.ts): their count is read before.
    const extractPage = (page: ClaimedPage, fetched: FetchedPage, judgeRender: boolean) => {
      const bytes = fetched.body.bytes.length
      return extractor
        .extract(fetched.body, { url: page.url, defaultRegion: config.defaultPhoneRegion, judgeRender })
        .pipe(
          Effect.tap((reading) => traceExtraction(reading.extraction)),
          Effect.map((reading): Got => ({ reading, bytes })),
          pageSpan("wf7.extract", () => ({ bytes })),
          Effect.mapError(({ message }): Failure => ({ _tag: "ExtractFailed", message })),
        )
    }

    /** Rendered first, or plain first: WF7_RENDER, and in `auto` what the domain needed before. */
    const firstFetch = (page: ClaimedPage): { render: boolean; reason: string } => {
      if (!proxied) return { render: false, reason: "direct" }
      if (config.renderMode !== "auto")
        return { render: config.renderMode === "always", reason: config.renderMode }
      return page.render_first
        ? { render: true, reason: "domain-renders" }
        : { render: false, reason: "static" }
    }

    /** One fetch (with its retries) and its extraction; `judgeRender` asks whether to render it next. */
    const fetchAndExtract = (
      page: ClaimedPage,
      render: boolean,
      spent: Ref.Ref<number>,
      judgeRender = false,
    ) =>
      fetchPage(page.url, render, spent).pipe(
        Effect.mapError((error): Failure => ({ _tag: "FetchFailed", error })),
        Effect.flatMap((fetched) => extractPage(page, fetched, judgeRender)),
        Effect.either,
      )

    const run = (page: ClaimedPage) =>
      Effect.gen(function* () {
        const spent = yield* Ref.make(0)
        const first = firstFetch(page)
        const firstWith = proxied ? (first.render ? "rendered" : "plain") : "direct"
        const finish = (got: Either.Either<Got, Failure>, fetchedWith: string, reason: string) =>
          Effect.map(Ref.get(spent), (credits): StepResult => {
            const spend = { credits, fetchedWith, reason }
            return Either.match(got, {
              onLeft: (failure) => ({ ...failure, spend }),
              onRight: ({ reading, bytes }) => ({
                _tag: "Fetched",
                extraction: reading.extraction,
                bytes,
                spend,
              }),
            })
          })
        const judgeRender = proxied && config.renderMode === "auto" && !first.render
        const plain = yield* fetchAndExtract(page, first.render, spent, judgeRender)
        const reason = Either.isRight(plain) ? plain.right.reading.renderReason : undefined
        if (reason === undefined) {
          yield* renderDecided(firstWith, first.reason)
          return yield* finish(plain, firstWith, first.reason)
        }
        yield* renderDecided("escalated", reason)
        const rendered = yield* fetchAndExtract(page, true, spent)
        // A render that fails leaves the plain page's result, unless fetching paused meanwhile (re-queued).
        if (Either.isLeft(rendered) && rendered.left._tag === "FetchFailed") {
          const { error } = rendered.left
          if (error._tag !== "CreditsExhausted") {
            yield* Effect.logWarning("rendered fetch failed; the plain page's result is kept").pipe(
              Effect.annotateLogs({ url: page.url, error: error._tag, detail: error.message }),
            )
            return yield* finish(plain, "plain", `${reason}; render failed: ${error._tag}`)
          }
        }
        if (Either.isRight(rendered) && foundOn(rendered.right.reading.extraction))
          yield* stored(credits.rememberRender(page.domain_id))
        return yield* finish(rendered, "escalated", reason)
      })

    return { run } as const
  }),
  dependencies: [GatedFetcher.Default, Slots.Default, HostBackoff.Default, CreditsRepo.Default],
}) {}
