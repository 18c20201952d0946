import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Api } from "./Api.js"
import { StatsReport } from "./StatsReport.js"

export const StatsLive = HttpApiBuilder.group(Api, "stats", (handlers) =>
  Effect.map(StatsReport, (report) => handlers.handle("get", () => report.current)),
)
