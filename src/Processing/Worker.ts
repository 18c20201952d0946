import type { SqlClient } from "@effect/sql"
import { Duration, Effect, Layer, Option, Schedule, Stream } from "effect"
import { AppConfig, DatabaseConfig } from "../Config.js"
import { PageFetcherLive } from "../Fetch/Fetching.js"
import type { PageFetcher } from "../Fetch/PageFetcher.js"
import { ScraperAccount } from "../Fetch/ScraperAccount.js"
import { ScraperHttpLive } from "../Fetch/ScraperApi.js"
import { FetchGate } from "../Fetch/FetchGate.js"
import { Fleet } from "../Fleet/Fleet.js"
import { FleetSlots } from "../Fleet/FleetSlots.js"
import { EngineGauges, QueueGauges } from "../Observability/Sampler.js"
import { PageSaves } from "../Pages/PageSaves.js"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { databasePooler } from "../Pooler.js"
import { DatabaseConnection, listenOn } from "../Sql.js"
import { Engine } from "./Engine.js"
import { Extractor } from "./Extractor.js"
import { HeapGrowthLive } from "./HeapGrowth.js"
import { Lease } from "./Lease.js"
import { ProcessPage } from "./ProcessPage.js"
import { Slots } from "./Slots.js"
import { Pipeline } from "./Pipeline.js"
import { type Rollout, RolloutFromConfig } from "../Settings/Rollout.js"
import { RolloutFromDatabase } from "../Settings/Settings.js"

/** This process as a node of the fleet, capping the engine's slots with its share of the account limit. */
export const FleetLive = Fleet.Default.pipe(
  Layer.provide(Layer.effect(FleetSlots, Slots).pipe(Layer.provide(Slots.Default))),
  Layer.provide(PagesRepo.Default),
)

export const engineWith = <E, R>(
  fetcher: Layer.Layer<PageFetcher, E, R>,
  rollout: Layer.Layer<Rollout, never, AppConfig | SqlClient.SqlClient> = RolloutFromConfig,
  extractor: Layer.Layer<Extractor, never, AppConfig> = Extractor.Default,
) =>
  // The same `Default` layers the services name as dependencies: built once, and visible to tests.
  Layer.merge(
    Layer.effect(
      EngineGauges,
      Effect.map(Engine, (engine) =>
        Effect.map(engine.status, (status) => ({ ...status, node: engine.owner })),
      ),
    ),
    Layer.effect(
      QueueGauges,
      Effect.map(PagesRepo, (pages) => Effect.orDie(pages.pending)),
    ),
  ).pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        Engine.Default,
        Lease.Default,
        Slots.Default,
        ProcessPage.Default,
        PagesRepo.Default,
        PageSaves.Default,
      ),
    ),
    Layer.provideMerge(extractor),
    Layer.provideMerge(rollout),
    Layer.provideMerge(fetcher),
    Layer.provideMerge(FetchGate.Default),
    Layer.provideMerge(ScraperAccount.Default),
    Layer.provide(ScraperHttpLive),
    Layer.provideMerge(FleetLive),
  )

/** `wf7 drain`'s engine: a one-off run takes its rollout from the environment it is given. */
export const EngineLive = Layer.merge(engineWith(PageFetcherLive), HeapGrowthLive)

/** The daemon's engine: the rollout the console sets in the settings table, read before each batch. */
export const DaemonEngineLive = Layer.merge(engineWith(PageFetcherLive, RolloutFromDatabase), HeapGrowthLive)

export const PipelineLive = Layer.effect(
  Pipeline,
  Effect.map(Engine, (engine) => Pipeline.of({ status: engine.status, trigger: engine.wake })),
)

const QUEUED_CHANNEL = "wf7_pages_queued"

// Behind a transaction pooler a LISTEN would register on a borrowed session: WF7_LISTEN_DATABASE_URL only.
const queuedNotifications = Effect.gen(function* () {
  const config = yield* DatabaseConfig
  const pooler = yield* databasePooler
  if (Option.isSome(config.listenUrl)) {
    return Option.some(
      listenOn({ url: config.listenUrl.value }, QUEUED_CHANNEL, config.connectTimeoutSeconds),
    )
  }
  if (pooler.mode === "transaction") return Option.none()
  return Option.some(listenOn(yield* DatabaseConnection, QUEUED_CHANNEL, config.connectTimeoutSeconds))
})

/**
 * The daemon's fiber: woken by NOTIFY when pages are queued, once the LISTEN is in place (pages queued
 * before it sent a NOTIFY nobody heard), and every WF7_POLL_INTERVAL_SECONDS anyway.
 */
export const WorkerLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const engine = yield* Engine
    const notifications = yield* queuedNotifications
    if (Option.isSome(notifications)) {
      yield* notifications.value.pipe(
        Stream.runForEach(() => engine.wake),
        Effect.tapErrorCause((cause) => Effect.logWarning("LISTEN connection lost, reconnecting", cause)),
        Effect.retry(
          Schedule.exponential(Duration.seconds(1)).pipe(
            Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(30))),
          ),
        ),
        Effect.forkScoped,
      )
    } else {
      const { pollIntervalSeconds } = yield* AppConfig
      yield* Effect.logInfo(
        `no LISTEN behind a transaction pooler: polling for queued pages every ${pollIntervalSeconds}s (set WF7_LISTEN_DATABASE_URL to a direct connection to be woken at once)`,
      )
    }
    yield* engine.run(false).pipe(Effect.forkScoped)
    yield* Effect.logInfo("worker started").pipe(Effect.annotateLogs({ owner: engine.owner }))
  }),
)
