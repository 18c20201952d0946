import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Pipeline } from "../Processing/Pipeline.js"
import { Api } from "./Api.js"

/** `POST /api/v3/scheduler/trigger`: wakes the engine now rather than at its next poll. */
export const SchedulerLive = HttpApiBuilder.group(Api, "scheduler", (handlers) =>
  Effect.gen(function* () {
    const pipeline = yield* Pipeline
    return handlers.handle("trigger", () => Effect.as(pipeline.trigger, { triggered: true }))
  }),
)
