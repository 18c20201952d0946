import { Data, Effect } from "effect"
import { Latency, validLatency } from "./Latency.js"

/** The simulator's behaviour; every knob can be changed while it runs (`Sandbox.update`). */
export interface SandboxKnobs {
  readonly latency: Latency
  /** More requests in flight than this are answered 429 at once (not billed, not counted in flight). */
  readonly concurrencyLimit: number
  readonly retryAfterSeconds: number
  /** Probabilities per admitted request, summing to at most 1: a 500, no answer ever, a TCP reset. */
  readonly errorRate: number
  readonly hangRate: number
  readonly resetRate: number
  /** A 200 or 404 costs 1 credit, 10 rendered, 10 more on a protected site; with too few left, a 403. */
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
