import { Load } from "./Load.js"
import type { SandboxKnobs } from "./State.js"

/**
 * The simulator's books: requests received per target, answers per outcome, credits held and spent,
 * and the requests in flight (its `Load`). Plain mutable counts, as every scrape request touches them
 * and the simulator must keep up with a thousand requests in flight on a small machine.
 */

export type SandboxOutcome = "200" | "400" | "403" | "404" | "429" | "500" | "reset" | "hang"

export type Admission = "admitted" | "credits-exhausted" | "rate-limited"

export interface SandboxStats {
  readonly requests: number
  readonly perTarget: ReadonlyMap<string, number>
  readonly perOutcome: Readonly<Partial<Record<SandboxOutcome, number>>>
  readonly inFlight: number
  readonly maxInFlight: number
  readonly creditsUsed: number
  /** 500s, resets and hangs: what ScraperAPI's `/account` calls `failedRequestCount`. */
  readonly failed: number
  /** The mean of the latencies drawn for admitted requests: Little's W for the bench. */
  readonly meanLatencyMs: number
}

export class Ledger {
  private requests = 0
  /** Scrape requests per target URL (as the sample pages spell it), whatever their answer. */
  private perTarget = new Map<string, number>()
  private perOutcome = new Map<SandboxOutcome, number>()
  /** Credits held by admitted requests that have not answered yet, so the budget is never overrun. */
  private reserved = 0
  private creditsUsed = 0
  private latencyDrawn = { millis: 0, draws: 0 }
  readonly load: Load

  constructor(now: number) {
    this.load = new Load(now)
  }

  /** Counts a scrape request; the target is undefined when the `url` parameter is not a URL. */
  received(target: string | undefined): void {
    this.requests++
    if (target !== undefined) this.perTarget.set(target, (this.perTarget.get(target) ?? 0) + 1)
  }

  record(outcome: SandboxOutcome): void {
    this.perOutcome.set(outcome, (this.perOutcome.get(outcome) ?? 0) + 1)
  }

  drew(latencyMs: number): void {
    this.latencyDrawn.millis += latencyMs
    this.latencyDrawn.draws++
  }

  admit(knobs: SandboxKnobs, cost: number, now: number): Admission {
    if (this.creditsUsed + this.reserved + cost > knobs.credits) return "credits-exhausted"
    if (this.load.inFlight >= knobs.concurrencyLimit) return "rate-limited"
    this.reserved += cost
    this.load.entered(now)
    return "admitted"
  }

  /** An admitted request is over: its credits are spent when it was billed, given back otherwise. */
  settle(billed: boolean, cost: number, now: number): void {
    this.reserved -= cost
    if (billed) this.creditsUsed += cost
    this.load.left(now)
  }

  reset(now: number): void {
    this.requests = 0
    this.perTarget = new Map()
    this.perOutcome = new Map()
    this.creditsUsed = 0
    this.latencyDrawn = { millis: 0, draws: 0 }
    this.load.reset(now)
  }

  stats(now: number): SandboxStats {
    const perOutcome = Object.fromEntries(this.perOutcome)
    const load = this.load.at(now)
    return {
      requests: this.requests,
      perTarget: new Map(this.perTarget),
      perOutcome,
      inFlight: load.inFlight,
      maxInFlight: load.peak,
      creditsUsed: this.creditsUsed,
      failed: (perOutcome["500"] ?? 0) + (perOutcome.reset ?? 0) + (perOutcome.hang ?? 0),
      meanLatencyMs: this.latencyDrawn.millis / Math.max(1, this.latencyDrawn.draws),
    }
  }
}
