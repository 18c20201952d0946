import { Command } from "@effect/cli"
import { Layer } from "effect"
import { AppConfig } from "../Config.js"
import { SamplerLive } from "../Observability/Sampler.js"
import { StatsLive } from "../Observability/Stats.js"
import { TracingLive } from "../Observability/Tracing.js"
import { EngineLive, PipelineLive, WorkerLive } from "../Processing/Worker.js"
import { DatabaseLive } from "../Sql.js"

/** Migrates, then runs the scheduler until SIGINT/SIGTERM, then shuts down gracefully. */
export const DaemonLive = Layer.mergeAll(WorkerLive, PipelineLive, SamplerLive, StatsLive).pipe(
  Layer.provide(EngineLive),
  // Built before the engine, so every fiber the daemon forks carries the tracer.
  Layer.provide(TracingLive),
  Layer.provide(AppConfig.Default),
  Layer.provide(DatabaseLive),
)

export const daemonCommand = Command.make("daemon", {}, () => Layer.launch(DaemonLive)).pipe(
  Command.withDescription("Run the processing scheduler until SIGINT/SIGTERM, then shut down gracefully."),
)
