import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Option, Schedule, Stream } from "effect"
import { AppConfig, DatabaseConfig } from "../Config.js"
import { CreditsRepo } from "../Pages/CreditsRepo.js"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { databasePooler } from "../Pooler.js"
import { listenOn } from "../Sql.js"
import { Budget } from "./Budget.js"
import { FetchStep } from "./FetchStep.js"
import { Engine } from "./Engine.js"
import { PageFetcher } from "../Fetch/PageFetcher.js"
import { ScraperAccount } from "../Fetch/ScraperAccount.js"
import { ScraperHttpLive } from "../Fetch/ScraperApi.js"
import { FetchGate } from "./FetchGate.js"
import { HostBackoff } from "./HostBackoff.js"
import { PageFetcherLive } from "./Fetching.js"
import { Pipeline } from "./Pipeline.js"
import { ProcessPage } from "./ProcessPage.js"
import { Rollback } from "./Rollback.js"
import { Throttle } from "./Throttle.js"

/** The processing engine on a given fetcher, with everything else it stands on but AppConfig and SQL. */
export const engineWith = <E, R>(fetcher: Layer.Layer<PageFetcher, E, R>) =>
  Engine.Default.pipe(
    Layer.provideMerge(ProcessPage.Default),
    Layer.provideMerge(FetchStep.Default),
    Layer.provideMerge(fetcher),
    Layer.provideMerge(Budget.Default),
    Layer.provideMerge(FetchGate.Default),
    Layer.provideMerge(ScraperAccount.Default),
    Layer.provide(ScraperHttpLive),
    Layer.provideMerge(
      Layer.mergeAll(
        Throttle.Default,
        HostBackoff.Default,
        PagesRepo.Default,
        CreditsRepo.Default,
        Rollback.Default,
      ),
    ),
  )

export const EngineLive = engineWith(PageFetcherLive)

/** The engine as the API sees it: live status and a way to wake it. */
export const PipelineLive = Layer.effect(
  Pipeline,
  Effect.map(Engine, (engine) => Pipeline.of({ status: engine.status, trigger: engine.wake })),
)

const QUEUED_CHANNEL = "wf7_pages_queued"

/**
 * NOTIFYs of queued pages: on WF7_LISTEN_DATABASE_URL when set, else on the pool's database unless
 * a transaction pooler is in front of it (its LISTEN would register on a borrowed session): none.
 */
const queuedNotifications = Effect.gen(function* () {
  const config = yield* DatabaseConfig
  const pooler = yield* databasePooler
  if (Option.isSome(config.listenUrl)) {
    return Option.some(listenOn(config.listenUrl.value, QUEUED_CHANNEL, config.connectTimeoutSeconds))
  }
  if (pooler.mode === "transaction") return Option.none()
  return Option.some((yield* PgClient.PgClient).listen(QUEUED_CHANNEL))
})

/**
 * The daemon's scheduled fiber: processes forever, woken at once by NOTIFY when pages are queued
 * (and every WF7_POLL_INTERVAL_SECONDS regardless, the only wake-up behind a transaction pooler
 * without WF7_LISTEN_DATABASE_URL). A lost LISTEN connection is re-established.
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
