import { Clock, Duration, Effect, Fiber, FiberSet, LogLevel, Ref } from "effect"
import { AppConfig } from "../Config.js"
import { GatedFetcher } from "../Fetch/GatedFetcher.js"
import { observeBatch, recordPage } from "../Observability/Instrument.js"
import type { ClaimedPage } from "../Domain/Page.js"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { retryDatabase } from "../Pages/RetryDatabase.js"
import { Lease } from "./Lease.js"
import { addOutcome, batchLine, emptyTotals, reasonOfCause } from "./Outcomes.js"
import type { PipelineStatus } from "./Pipeline.js"
import { ProcessPage, type PageOutcome } from "./ProcessPage.js"
import { Scheduler, type BatchMode } from "./Scheduler.js"

/**
 * The processing loop shared by `wf7 daemon` and `wf7 drain`: claims (Lease) when and as much as the
 * Scheduler says, runs each batch's pages side by side (or one at a time when sequential), each holding
 * a fetch slot (Slots) only on the upstream and then handed to the save stage (Saver). On shutdown: no
 * more claims, in-flight pages get WF7_SHUTDOWN_GRACE_SECONDS, then the Lease releases what is left with
 * the attempt refunded.
 */

export type RunEnd = "idle" | "paused"

export class Engine extends Effect.Service<Engine>()("Processing/Engine", {
  scoped: Effect.gen(function* () {
    const { shutdownGraceSeconds } = yield* AppConfig
    const repo = yield* PagesRepo
    const lease = yield* Lease
    const scheduler = yield* Scheduler
    const pages = yield* ProcessPage
    const fetcher = yield* GatedFetcher
    const scope = yield* Effect.scope
    const totals = yield* Ref.make(emptyTotals)
    // The daemon says once that it went idle, not at every poll.
    let idle = false
    const batches = yield* FiberSet.make<void>()

    const runPage = (page: ClaimedPage, mode: BatchMode) =>
      pages.process(page, scheduler.wake).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logError("page failed unexpectedly; its lease will return it to the queue", cause).pipe(
            Effect.as<PageOutcome>({ outcome: "lost", reason: reasonOfCause(cause) }),
          ),
        ),
        Effect.tap((result) => Ref.update(totals, (current) => addOutcome(current, result))),
        Effect.tap(recordPage(page.selected_at, mode)),
        Effect.ensuring(scheduler.wake),
      )

    // Started once extraction keeps up and few pages queue for a slot, then let run before the next.
    const startPage = (page: ClaimedPage) =>
      Effect.zipLeft(
        Effect.zipRight(scheduler.admit, Effect.fork(runPage(page, "concurrent"))),
        Effect.yieldNow(),
      )

    /** A daemon refilling one freed slot at a time would log a line per page: those go to DEBUG. */
    const runBatch = (claimed: ReadonlyArray<ClaimedPage>, mode: BatchMode, untilIdle: boolean) =>
      Effect.gen(function* () {
        const started = yield* Clock.currentTimeMillis
        const results = yield* mode === "concurrent"
          ? Effect.flatMap(Effect.forEach(claimed, startPage), (fibers) => Effect.forEach(fibers, Fiber.join))
          : Effect.forEach(claimed, (page) => runPage(page, mode))
        const level = untilIdle || claimed.length > 1 ? LogLevel.Info : LogLevel.Debug
        yield* Effect.logWithLevel(
          level,
          batchLine(mode, results, (yield* Clock.currentTimeMillis) - started),
        )
        yield* scheduler.record(mode, results)
      }).pipe(
        observeBatch(mode),
        Effect.withSpan("wf7.batch", { attributes: { pages: claimed.length, mode } }),
      )

    const step = (untilIdle: boolean) =>
      Effect.gen(function* () {
        const state = yield* fetcher.state
        if (state.state === "paused" && fetcher.stopsWhenPaused) {
          if (untilIdle) return "paused" as const
          const now = yield* Clock.currentTimeMillis
          const left = Duration.millis(Math.max(0, state.until.getTime() - now))
          yield* scheduler.waitForWork(Duration.min(left, scheduler.poll))
          return "continue" as const
        }
        const mode = yield* scheduler.chooseMode
        const held = yield* lease.held
        const room = yield* scheduler.room(mode, held)
        if (room <= 0) {
          yield* scheduler.waitForWork()
          return "continue" as const
        }
        const claimed = yield* lease.claim(room)
        if (claimed.length > 0) {
          idle = false
          const batch = yield* FiberSet.run(batches, runBatch(claimed, mode, untilIdle))
          if (mode === "sequential") yield* Fiber.await(batch)
          return "continue" as const
        }
        if (untilIdle && held === 0) {
          const pending = yield* retryDatabase(repo.pending)
          if (pending.queued === 0 && pending.processing === 0) return "done" as const
        }
        if (!untilIdle && held === 0 && !idle) {
          idle = true
          yield* Effect.logInfo("queue empty, waiting").pipe(
            Effect.annotateLogs({ ...(yield* Ref.get(totals)) }),
          )
        }
        yield* scheduler.waitForWork()
        return "continue" as const
      })

    const shutdown = Effect.gen(function* () {
      if ((yield* FiberSet.size(batches)) === 0) return
      yield* Effect.logInfo(`shutting down: waiting up to ${shutdownGraceSeconds}s for in-flight pages`)
      // Finalizers run uninterruptibly: the wait must be made interruptible for its timeout to fire.
      const finished = yield* FiberSet.awaitEmpty(batches).pipe(
        Effect.interruptible,
        Effect.timeoutOption(Duration.seconds(shutdownGraceSeconds)),
      )
      yield* FiberSet.clear(batches)
      // What is still held is released by the Lease when its own scope closes, after this one.
      if (finished._tag === "Some") yield* Effect.logInfo("all in-flight pages finished")
    })

    // Registered before the loops start, so it runs after they are interrupted: claims stop first.
    yield* Effect.addFinalizer(() => shutdown)

    const run = (untilIdle: boolean) =>
      Effect.gen(function* () {
        // In the background: a slow /account delays nothing.
        yield* scheduler.learnPlan.pipe(Effect.forkIn(scope))
        yield* lease.rescue
        for (;;) {
          const next = yield* step(untilIdle).pipe(
            Effect.catchAllCause((cause) =>
              Effect.logError("processing loop failed; retrying", cause).pipe(
                Effect.zipRight(Effect.sleep(scheduler.poll)),
                Effect.as("continue" as const),
              ),
            ),
          )
          if (next === "done" || next === "paused") {
            yield* FiberSet.awaitEmpty(batches)
            return (next === "done" ? "idle" : "paused") satisfies RunEnd
          }
        }
      })

    const status: Effect.Effect<PipelineStatus> = Effect.gen(function* () {
      return { inFlight: yield* lease.held, ...(yield* scheduler.concurrency), fetcher: yield* fetcher.state }
    })

    return { run, wake: scheduler.wake, status, totals: Ref.get(totals), owner: lease.owner } as const
  }),
  dependencies: [
    PagesRepo.Default,
    Lease.Default,
    Scheduler.Default,
    ProcessPage.Default,
    GatedFetcher.Default,
  ],
}) {}
