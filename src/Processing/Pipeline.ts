import { Context, type Effect } from "effect"
import type { FetcherState } from "../Fetch/FetchGate.js"

export type { FetcherState }

export type ConcurrencyMode = "sequential" | "concurrent" | "rolled-back"

export interface PipelineStatus {
  readonly inFlight: number
  readonly effectiveConcurrency: number
  readonly maxConcurrency: number
  readonly mode: ConcurrencyMode
  readonly fetcher: FetcherState
}

export class Pipeline extends Context.Tag("Processing/Pipeline")<
  Pipeline,
  {
    readonly status: Effect.Effect<PipelineStatus>
    readonly trigger: Effect.Effect<void>
  }
>() {}
