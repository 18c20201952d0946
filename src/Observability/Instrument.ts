import { Cause, Clock, Duration, Effect, Exit, FiberRef, Metric, Option, Tracer } from "effect"
import type { Extraction } from "../Domain/Contact.js"
import * as Metrics from "./Metrics.js"

/**
 * What the pipeline calls to be observed: one pipeable per stage, so the pipeline code only says
 * where a stage starts and ends. Span attributes go on the span the stage runs in.
 */

type Mode = (typeof Metrics.modes)[number]

/** What this module needs of Fetch/Errors' `FetchError`, so that it imports nothing above it. */
type FetchFailure =
  | { readonly _tag: "PageGone" | "UpstreamFailed" | "BadRequest"; readonly status: number }
  | {
      readonly _tag:
        | "RateLimited"
        | "CreditsExhausted"
        | "FetchTimeout"
        | "TransportError"
        | "HostNotFound"
        | "PageTooLarge"
        | "TargetRefused"
        | "LocalResourceExhausted"
    }

type Finished =
  | { readonly outcome: "complete"; readonly saved: { emails: number; phones: number; socials: number } }
  | { readonly outcome: "error" | "released" | "lost" }

const fetchStatus = (exit: Exit.Exit<unknown, FetchFailure>): string => {
  if (Exit.isSuccess(exit)) return "200"
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "defect"
  const error = failure.value
  switch (error._tag) {
    case "PageGone":
    case "UpstreamFailed":
    case "BadRequest":
      return String(error.status)
    case "RateLimited":
      return "429"
    case "CreditsExhausted":
      return "403"
    case "FetchTimeout":
      return "timeout"
    case "TransportError":
      return "transport"
    case "HostNotFound":
      return "dns"
    case "PageTooLarge":
      return "too_large"
    case "TargetRefused":
      return "refused"
    case "LocalResourceExhausted":
      return "local_resources"
  }
}

// `Effect.currentSpan` fails (an error and its stack) without a span: every page when tracing is off.
const onSpan = (note: (span: Tracer.Span) => void) =>
  Effect.map(Effect.serviceOption(Tracer.ParentSpan), (parent) => {
    if (Option.isSome(parent) && parent.value._tag === "Span") note(parent.value)
  })

/**
 * A page's stage in a span of its own while tracing is on, without the stack trace Effect would capture
 * for each (an `Error` per span). Off, the stage runs bare: a span that is dropped still costs each page
 * its frames and objects, a thousand pages at once at C = 1000.
 */
export const pageSpan =
  (name: string, attributes: () => Record<string, unknown> = () => ({})) =>
  <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.flatMap(FiberRef.get(FiberRef.currentTracerEnabled), (traced) =>
      traced ? Effect.withSpan(self, name, { captureStackTrace: false, attributes: attributes() }) : self,
    )

export const notePageOutcome = (outcome: string) => onSpan((span) => span.attribute("page.outcome", outcome))

/** The request's URL as a span may show it, built only when there is a span to show it on. */
export const noteRequestUrl = (shown: () => URL) =>
  onSpan((span) => span.attribute("fetch.request_url", shown().toString()))

const noteAttempt = (status: string) =>
  onSpan((span) => {
    const before = span.attributes.get("fetch.retries")
    span.attribute("fetch.retries", typeof before === "number" ? before + 1 : 0)
    span.attribute("fetch.status", status)
  })

export const observeAttempt = <A, E extends FetchFailure, R>(attempt: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Clock.currentTimeMillis, (started) =>
    Effect.onExit(attempt, (exit) =>
      Effect.gen(function* () {
        const seconds = ((yield* Clock.currentTimeMillis) - started) / 1000
        yield* Metric.update(Metrics.fetchDuration, seconds)
        const status = fetchStatus(exit)
        if (status === "429") yield* Metric.increment(Metrics.rateLimitErrors)
        yield* noteAttempt(status)
      }),
    ),
  )

// Built once per value (they are few): a tagged metric is a new object with its own key hash, dear per page.
const taggedOnce = <M>(tag: (value: string) => M) => {
  const built = new Map<string, M>()
  return (value: string) => {
    const known = built.get(value)
    if (known !== undefined) return known
    const metric = tag(value)
    built.set(value, metric)
    return metric
  }
}

const answers = taggedOnce((status) => Metric.tagged(Metrics.scraperRequests, "status", status))
const credited = taggedOnce((render) => Metric.tagged(Metrics.scraperCredits, "render", render))
const decisions = taggedOnce((key) => {
  const [fetch = "", reason = ""] = key.split("\n")
  return Metrics.renderDecisions.pipe(Metric.tagged("fetch", fetch), Metric.tagged("reason", reason))
})

export const scraperAnswered = (status: number | "timeout" | "transport") =>
  Metric.increment(answers(String(status)))

export const creditsSpent = (credits: number, render: boolean) =>
  credits > 0 ? Metric.incrementBy(credited(String(render)), credits) : Effect.void

export const renderDecided = (fetch: string, reason: string) =>
  Metric.increment(decisions(`${fetch}\n${reason}`))

export const traceExtraction = (extraction: Extraction) =>
  onSpan((span) => {
    span.attribute("extract.emails", extraction.emails.length)
    span.attribute("extract.phones", extraction.phones.length)
    span.attribute("extract.socials", extraction.socials.length)
  })

const processed = new Map(
  Metrics.modes.flatMap((mode) =>
    (["complete", "error", "released", "lost"] as const).map((outcome) => [
      `${outcome}:${mode}`,
      Metrics.pagesProcessed.pipe(Metric.tagged("outcome", outcome), Metric.tagged("mode", mode)),
    ]),
  ),
)
const created = {
  email: Metric.tagged(Metrics.contactsCreated, "kind", "email"),
  phone: Metric.tagged(Metrics.contactsCreated, "kind", "phone"),
  social: Metric.tagged(Metrics.contactsCreated, "kind", "social"),
}

export const recordPage = (selectedAt: Date | null, mode: Mode) => (result: Finished) =>
  Effect.suspend(() => {
    const outcome = Metric.increment(processed.get(`${result.outcome}:${mode}`) ?? Metrics.pagesProcessed)
    if (result.outcome !== "complete") return outcome
    const { emails, phones, socials } = result.saved
    return Effect.all(
      [
        outcome,
        Metric.incrementBy(created.email, emails),
        Metric.incrementBy(created.phone, phones),
        Metric.incrementBy(created.social, socials),
        selectedAt === null
          ? Effect.void
          : Effect.flatMap(Clock.currentTimeMillis, (now) =>
              Metric.update(Metrics.selectionToComplete, (now - selectedAt.getTime()) / 1000),
            ),
      ],
      { discard: true },
    )
  })

export const observeBatch = (mode: Mode) =>
  Metric.trackDurationWith(Metric.tagged(Metrics.batchDuration, "mode", mode), Duration.toSeconds)
