import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Pipeline } from "../Processing/Pipeline.js"
import { Api } from "./Api.js"
import { StatsReport } from "./StatsReport.js"

export const StatsLive = HttpApiBuilder.group(Api, "stats", (handlers) =>
  Effect.map(StatsReport, (report) => handlers.handle("get", () => report.current)),
)

export const SchedulerLive = HttpApiBuilder.group(Api, "scheduler", (handlers) =>
  Effect.gen(function* () {
    const pipeline = yield* Pipeline
    return handlers.handle("trigger", () => Effect.as(pipeline.trigger, { triggered: true }))
  }),
)
