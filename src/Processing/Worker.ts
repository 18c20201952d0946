import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Schedule, Stream } from "effect"
import { Fleet, FleetSlots } from "../Fleet/Fleet.js"
import { CreditsRepo } from "../Pages/CreditsRepo.js"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { Budget } from "./Budget.js"
import { FetchStep } from "./FetchStep.js"
import { Engine } from "./Engine.js"
import { PageFetcher } from "../Fetch/PageFetcher.js"
import { ScraperAccount, ScraperHttpLive } from "../Fetch/ScraperApi.js"
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
    // The fleet caps the throttle with its share of the account-wide limit.
    Layer.provideMerge(Fleet.Default.pipe(Layer.provide(Layer.effect(FleetSlots, Throttle)))),
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

/**
 * The daemon's scheduled fiber: processes forever, woken at once by NOTIFY when pages are queued
 * (and every WF7_POLL_INTERVAL_SECONDS regardless). A lost LISTEN connection is re-established.
 */
export const WorkerLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const engine = yield* Engine
    const pg = yield* PgClient.PgClient
    yield* pg.listen("wf7_pages_queued").pipe(
      Stream.runForEach(() => engine.wake),
      Effect.tapErrorCause((cause) => Effect.logWarning("LISTEN connection lost, reconnecting", cause)),
      Effect.retry(
        Schedule.exponential(Duration.seconds(1)).pipe(
          Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(30))),
        ),
      ),
      Effect.forkScoped,
    )
    yield* engine.run(false).pipe(Effect.forkScoped)
    yield* Effect.logInfo("worker started").pipe(Effect.annotateLogs({ owner: engine.owner }))
  }),
)
