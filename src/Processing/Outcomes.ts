import { Cause, Predicate } from "effect"
import type { PageOutcome } from "./ProcessPage.js"

/**
 * What page outcomes add up to: the running totals of a run, the batch line, and which failures
 * are the system's trouble (the rollback counts those) rather than the page's own (a dead link).
 */

export interface Totals {
  readonly pages: number
  readonly complete: number
  readonly error: number
  readonly released: number
  readonly contacts: number
}

export const emptyTotals: Totals = { pages: 0, complete: 0, error: 0, released: 0, contacts: 0 }

export const addOutcome = (totals: Totals, result: PageOutcome): Totals => ({
  pages: totals.pages + 1,
  complete: totals.complete + (result.outcome === "complete" ? 1 : 0),
  error: totals.error + (result.outcome === "error" ? 1 : 0),
  released: totals.released + (result.outcome === "released" ? 1 : 0),
  contacts: totals.contacts + (result.outcome === "complete" ? result.saved.emails + result.saved.phones : 0),
})

/** The proxy, network or database in trouble; a gone, refused, oversized or unknown page is its own. */
export const SYSTEM_TROUBLE: ReadonlySet<string> = new Set([
  "UpstreamFailed",
  "FetchTimeout",
  "TransportError",
  "RateLimited",
  "SqlError",
])

export const reasonOfCause = (cause: Cause.Cause<unknown>) => {
  const error = Cause.squash(cause)
  return Predicate.hasProperty(error, "_tag") && typeof error._tag === "string" ? error._tag : "Defect"
}

export const verdictOf = (result: PageOutcome): string | undefined => {
  if (result.outcome === "complete") return "ok"
  if (result.outcome === "released") return undefined
  if (SYSTEM_TROUBLE.has(result.reason)) return result.reason
  return result.outcome === "error" ? "ok" : undefined
}

export const countsByTag = (tags: ReadonlyArray<string>) => {
  const counts = new Map<string, number>()
  for (const tag of tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([tag, count]) => `${count} ${tag}`)
    .join(", ")
}

/** SPEC's batch line, then the failures' reasons and the pages released to the queue (no attempt spent). */
export const batchLine = (
  mode: "concurrent" | "sequential",
  results: ReadonlyArray<PageOutcome>,
  millis: number,
) => {
  const label = mode === "concurrent" ? "Concurrent" : "Sequential"
  const successful = results.filter((result) => result.outcome === "complete").length
  const released = results.filter((result) => result.outcome === "released").length
  const reasons = results.flatMap((result) =>
    result.outcome === "error" || result.outcome === "lost" ? [result.reason] : [],
  )
  const failed = results.length - successful - released
  return (
    `WF7 ${label}: Processed ${results.length} pages in ${(millis / 1000).toFixed(2)}s, ` +
    `${successful} successful, ${failed} failed` +
    (reasons.length > 0 ? ` (${countsByTag(reasons)})` : "") +
    (released > 0 ? `, ${released} released` : "")
  )
}
