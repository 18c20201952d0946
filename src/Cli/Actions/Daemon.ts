import { Layer } from "effect"
import { AppConfig } from "../../Config.js"
import { FleetGaugesLive } from "../../Fleet/FleetView.js"
import { HttpLive } from "../../Http/Server.js"
import { MetricsRouteLive } from "../../Observability/Prometheus.js"
import { SamplerLive } from "../../Observability/Sampler.js"
import { StatsLineLive } from "../../Observability/Stats.js"
import { TracingLive } from "../../Observability/Tracing.js"
import { DaemonEngineLive, PipelineLive, WorkerLive } from "../../Processing/Worker.js"
import { DaemonDatabaseLive } from "../../Sql.js"

const DaemonLive = Layer.mergeAll(
  WorkerLive,
  HttpLive.pipe(Layer.provide(MetricsRouteLive)),
  SamplerLive.pipe(Layer.provide(FleetGaugesLive)),
  StatsLineLive,
).pipe(
  Layer.provideMerge(PipelineLive),
  Layer.provide(DaemonEngineLive),
  // Built before the engine, so every fiber the daemon forks carries the tracer.
  Layer.provide(TracingLive),
  Layer.provide(AppConfig.Default),
  Layer.provide(DaemonDatabaseLive),
)

export const daemon = Layer.launch(DaemonLive)
