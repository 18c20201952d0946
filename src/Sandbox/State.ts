import { Data, Effect, HashMap, Option } from "effect"
import { Latency, validLatency } from "./Latency.js"

/** The simulator's behaviour; every knob can be changed while it runs (`Sandbox.update`). */
export interface SandboxKnobs {
  readonly latency: Latency
  /** More requests in flight than this are answered 429 at once (not billed, not counted in flight). */
  readonly concurrencyLimit: number
  /** The `Retry-After` header of a 429, in seconds. */
  readonly retryAfterSeconds: number
  /** Probabilities per admitted request, summing to at most 1: a 500, no answer ever, a TCP reset. */
  readonly errorRate: number
  readonly hangRate: number
  readonly resetRate: number
  /**
   * The credit budget: a 200 or 404 costs 1 credit, 10 rendered, 10 more on a protected site; with
   * too few left a request gets a 403.
   */
  readonly credits: number
  /** Target paths (`/about`) or full target URLs answered 404 even when a sample page exists there. */
  readonly notFound: ReadonlyArray<string>
}

export const defaultKnobs: SandboxKnobs = {
  latency: Latency.Fixed({ ms: 0 }),
  concurrencyLimit: 20,
  retryAfterSeconds: 1,
  errorRate: 0,
  hangRate: 0,
  resetRate: 0,
  credits: 1_000_000,
  notFound: [],
}

/** Share of script-built sample sites the command line, the demo and the bench serve. */
export const DEFAULT_JS_SHARE = 0.2

export class InvalidSandboxOptions extends Data.TaggedError("InvalidSandboxOptions")<{
  readonly message: string
}> {}

const isRate = (rate: number) => Number.isFinite(rate) && rate >= 0 && rate <= 1

export const validateKnobs = (knobs: SandboxKnobs): Effect.Effect<void, InvalidSandboxOptions> => {
  const problem =
    validLatency(knobs.latency) ??
    (!Number.isInteger(knobs.concurrencyLimit) || knobs.concurrencyLimit < 1
      ? "the concurrency limit must be an integer of at least 1"
      : !Number.isInteger(knobs.retryAfterSeconds) || knobs.retryAfterSeconds < 0
        ? "Retry-After must be a whole number of seconds, at least 0"
        : ![knobs.errorRate, knobs.hangRate, knobs.resetRate].every(isRate)
          ? "the error, hang and reset rates must each lie between 0 and 1"
          : knobs.errorRate + knobs.hangRate + knobs.resetRate > 1
            ? "the error, hang and reset rates must add up to at most 1"
            : !Number.isInteger(knobs.credits) || knobs.credits < 0
              ? "credits must be a whole number, at least 0"
              : undefined)
  return problem === undefined ? Effect.void : Effect.fail(new InvalidSandboxOptions({ message: problem }))
}

const MAX_SITES = 100_000

/** The settings fixed at start: the port to listen on, the size of the corpus and its script-built share. */
export const validateSetup = (
  port: number,
  sites: number,
  jsShare: number,
  protectedShare: number,
): Effect.Effect<void, InvalidSandboxOptions> => {
  const problem =
    !Number.isInteger(port) || port < 0 || port > 65535
      ? "the port must be a whole number from 0 to 65535"
      : !Number.isInteger(sites) || sites < 1 || sites > MAX_SITES
        ? `sites must be a whole number from 1 to ${MAX_SITES}`
        : !isRate(jsShare) || !isRate(protectedShare)
          ? "the js and protected shares must lie between 0 and 1"
          : undefined
  return problem === undefined ? Effect.void : Effect.fail(new InvalidSandboxOptions({ message: problem }))
}

/** What the simulator answered: an HTTP status, or a connection it reset or never answered. */
export type SandboxOutcome = "200" | "400" | "403" | "404" | "429" | "500" | "reset" | "hang"

export interface Counters {
  /** Scrape requests received, whatever their answer. */
  readonly requests: number
  /** Scrape requests per target URL (as the sample pages spell it), whatever their answer. */
  readonly perTarget: HashMap.HashMap<string, number>
  readonly perOutcome: HashMap.HashMap<SandboxOutcome, number>
  readonly inFlight: number
  readonly maxInFlight: number
  /** Credits held by admitted requests that have not answered yet, so the budget is never overrun. */
  readonly reserved: number
  readonly creditsUsed: number
}

export const emptyCounters = (inFlight = 0, reserved = 0): Counters => ({
  requests: 0,
  perTarget: HashMap.empty(),
  perOutcome: HashMap.empty(),
  inFlight,
  maxInFlight: inFlight,
  reserved,
  creditsUsed: 0,
})

const increment = <K>(map: HashMap.HashMap<K, number>, key: K) =>
  HashMap.modifyAt(map, key, (count) => Option.some(Option.getOrElse(count, () => 0) + 1))

export const recordOutcome = (counters: Counters, outcome: SandboxOutcome): Counters => ({
  ...counters,
  perOutcome: increment(counters.perOutcome, outcome),
})

export type Admission = "admitted" | "credits-exhausted" | "rate-limited"

/** Counts a scrape request; the target is undefined when the `url` parameter is not a URL. */
export const received = (counters: Counters, target: string | undefined): Counters => ({
  ...counters,
  requests: counters.requests + 1,
  perTarget: target === undefined ? counters.perTarget : increment(counters.perTarget, target),
})

/** Decides, in one atomic step with taking the slot and the credits, whether a request may proceed. */
export const admit = (counters: Counters, knobs: SandboxKnobs, cost: number): [Admission, Counters] => {
  if (counters.creditsUsed + counters.reserved + cost > knobs.credits) return ["credits-exhausted", counters]
  if (counters.inFlight >= knobs.concurrencyLimit) return ["rate-limited", counters]
  const inFlight = counters.inFlight + 1
  return [
    "admitted",
    {
      ...counters,
      inFlight,
      maxInFlight: Math.max(counters.maxInFlight, inFlight),
      reserved: counters.reserved + cost,
    },
  ]
}

/** An admitted request is over: its credits are spent when it was billed, given back otherwise. */
export const settle = (counters: Counters, billed: boolean, cost: number): Counters => ({
  ...counters,
  inFlight: counters.inFlight - 1,
  reserved: counters.reserved - cost,
  creditsUsed: counters.creditsUsed + (billed ? cost : 0),
})

export interface SandboxStats {
  readonly requests: number
  readonly perTarget: ReadonlyMap<string, number>
  readonly perOutcome: Readonly<Partial<Record<SandboxOutcome, number>>>
  readonly inFlight: number
  readonly maxInFlight: number
  readonly creditsUsed: number
  /** 500s, resets and hangs: what ScraperAPI's `/account` calls `failedRequestCount`. */
  readonly failed: number
}

export const statsOf = (counters: Counters): SandboxStats => {
  const perOutcome = Object.fromEntries(HashMap.toEntries(counters.perOutcome))
  return {
    requests: counters.requests,
    perTarget: new Map(HashMap.toEntries(counters.perTarget)),
    perOutcome,
    inFlight: counters.inFlight,
    maxInFlight: counters.maxInFlight,
    creditsUsed: counters.creditsUsed,
    failed: (perOutcome["500"] ?? 0) + (perOutcome.reset ?? 0) + (perOutcome.hang ?? 0),
  }
}
