import { Command } from "@effect/cli"
import { Layer } from "effect"
import { AppConfig } from "../Config.js"
import { EngineLive, PipelineLive, WorkerLive } from "../Processing/Worker.js"
import { DatabaseLive } from "../Sql.js"

/** Migrates, then runs the scheduler until SIGINT/SIGTERM, then shuts down gracefully. */
export const DaemonLive = Layer.mergeAll(WorkerLive, PipelineLive).pipe(
  Layer.provide(EngineLive),
  Layer.provide(AppConfig.Default),
  Layer.provide(DatabaseLive),
)

export const daemonCommand = Command.make("daemon", {}, () => Layer.launch(DaemonLive)).pipe(
  Command.withDescription("Run the processing scheduler until SIGINT/SIGTERM, then shut down gracefully."),
)
