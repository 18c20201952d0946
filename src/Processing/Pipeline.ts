import { Context, type Effect } from "effect"

/** Whether the fetcher may run: `paused` after ScraperAPI reported exhausted credits (403). */
export type FetcherState =
  { readonly state: "ok" } | { readonly state: "paused"; readonly until: Date; readonly reason: string }

export type ConcurrencyMode = "sequential" | "concurrent" | "rolled-back"

export interface PipelineStatus {
  readonly inFlight: number
  readonly effectiveConcurrency: number
  readonly maxConcurrency: number
  readonly mode: ConcurrencyMode
  readonly fetcher: FetcherState
}

/** The running pipeline as the API and the operator see it: its live state, and a way to wake it. */
export class Pipeline extends Context.Tag("Processing/Pipeline")<
  Pipeline,
  {
    readonly status: Effect.Effect<PipelineStatus>
    /** Wake the worker now instead of at its next poll. */
    readonly trigger: Effect.Effect<void>
  }
>() {}
