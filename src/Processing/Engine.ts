import {
  Clock,
  Duration,
  Effect,
  Exit,
  Fiber,
  FiberSet,
  LogLevel,
  Queue,
  Random,
  Ref,
  Schedule,
} from "effect"
import { AppConfig } from "../Config.js"
import { Fleet } from "../Fleet/Fleet.js"
import { observeBatch, recordPage } from "../Observability/Instrument.js"
import { PagesRepo, type ClaimedPage } from "../Pages/PagesRepo.js"
import { FetchGate } from "./FetchGate.js"
import { addOutcome, batchLine, emptyTotals, reasonOfCause, verdictOf } from "./Outcomes.js"
import type { ConcurrencyMode, PipelineStatus } from "./Pipeline.js"
import { ProcessPage, type PageOutcome } from "./ProcessPage.js"
import { retryDatabase } from "./RetryDatabase.js"
import { Rollback } from "./Rollback.js"
import { Throttle } from "./Throttle.js"

/**
 * The processing loop shared by `wf7 daemon` and `wf7 drain`. Pages are claimed in batches of up to
 * WF7_CONCURRENT_BATCH_SIZE; concurrent batches run side by side and a new one is claimed as soon
 * as slots free up (the slowest page of a batch idles nobody). Sequential batches run alone, one
 * page at a time. Leases are renewed while pages are in flight; expired ones are rescued.
 * On shutdown: no more claims, in-flight pages get WF7_SHUTDOWN_GRACE_SECONDS, the rest go back to
 * the queue with their attempt refunded.
 */

/** Why a run ended: the queue is empty, or fetching is paused (credits exhausted). */
export type RunEnd = "idle" | "paused"

export class Engine extends Effect.Service<Engine>()("Processing/Engine", {
  scoped: Effect.gen(function* () {
    const config = yield* AppConfig
    const repo = yield* PagesRepo
    const pages = yield* ProcessPage
    const throttle = yield* Throttle
    const gate = yield* FetchGate
    const rollback = yield* Rollback
    const scope = yield* Effect.scope
    const fleet = yield* Fleet
    const owner = fleet.owner
    const inFlight = yield* Ref.make<ReadonlyMap<string, ClaimedPage>>(new Map())
    const totals = yield* Ref.make(emptyTotals)
    // The daemon says once that it went idle, not at every poll.
    const idle = yield* Ref.make(false)
    const mode = yield* Ref.make<ConcurrencyMode>(config.concurrentEnabled ? "concurrent" : "sequential")
    const signals = yield* Queue.dropping<void>(1)
    const batches = yield* FiberSet.make<void>()
    const wake = Queue.offer(signals, undefined).pipe(Effect.asVoid)
    const poll = Duration.seconds(config.pollIntervalSeconds)
    const lease = config.leaseSeconds

    /** Waits for a page to finish, a NOTIFY, a trigger, or the poll interval. */
    const waitForWork = (at: Duration.Duration = poll) =>
      Queue.take(signals).pipe(Effect.timeoutOption(at), Effect.asVoid)

    const track = (claimed: ReadonlyArray<ClaimedPage>, add: boolean) =>
      Ref.updateAndGet(inFlight, (current) => {
        const next = new Map(current)
        for (const page of claimed) add ? next.set(page.id, page) : next.delete(page.id)
        return next
      }).pipe(Effect.flatMap((next) => fleet.claimed(next.size)))

    const runPage = (page: ClaimedPage) =>
      pages.process(page, owner).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logError("page failed unexpectedly; its lease will return it to the queue", cause).pipe(
            Effect.as<PageOutcome>({ outcome: "lost", reason: reasonOfCause(cause) }),
          ),
        ),
        Effect.tap((result) => Ref.update(totals, (current) => addOutcome(current, result))),
        Effect.ensuring(Effect.zipRight(track([page], false), wake)),
      )

    /** A daemon refilling one freed slot at a time would log a line per page: those go to DEBUG. */
    const runBatch = (
      claimed: ReadonlyArray<ClaimedPage>,
      batchMode: "concurrent" | "sequential",
      untilIdle: boolean,
    ) =>
      Effect.gen(function* () {
        const started = yield* Clock.currentTimeMillis
        const observed = (page: ClaimedPage) => Effect.tap(runPage(page), recordPage(page, batchMode))
        const results = yield* Effect.forEach(claimed, observed, {
          concurrency: batchMode === "concurrent" ? "unbounded" : 1,
        })
        const level = untilIdle || claimed.length > 1 ? LogLevel.Info : LogLevel.Debug
        yield* Effect.logWithLevel(
          level,
          batchLine(batchMode, results, (yield* Clock.currentTimeMillis) - started),
        )
        if (batchMode === "concurrent") {
          const verdicts = results.flatMap((result) => verdictOf(result) ?? [])
          if (yield* rollback.record(verdicts)) yield* Ref.set(mode, "rolled-back")
        }
      }).pipe(
        observeBatch(batchMode),
        Effect.withSpan("wf7.batch", { attributes: { pages: claimed.length, mode: batchMode } }),
      )

    /** Sequential when the flag is off, while rolled back, or for the batches outside the rollout share. */
    const chooseMode = Effect.gen(function* () {
      if (!config.concurrentEnabled) return "sequential" as const
      if ((yield* rollback.rolledBackUntil) !== undefined) return "sequential" as const
      yield* Ref.set(mode, "concurrent")
      const roll = yield* Random.nextIntBetween(0, 100)
      return roll < config.rolloutPercent ? ("concurrent" as const) : ("sequential" as const)
    })

    const claim = (limit: number) =>
      retryDatabase(repo.claim(owner, limit, lease)).pipe(Effect.tap((claimed) => track(claimed, true)))

    /** One turn of the loop: "done" ends a run that stops when idle. */
    const step = (untilIdle: boolean) =>
      Effect.gen(function* () {
        const fetcher = yield* gate.current
        if (fetcher.state === "paused" && !config.fallbackDirect) {
          if (untilIdle) return "paused" as const
          const now = yield* Clock.currentTimeMillis
          const left = Duration.millis(Math.max(0, fetcher.until.getTime() - now))
          yield* waitForWork(Duration.min(left, poll))
          return "continue" as const
        }
        const batchMode = yield* chooseMode
        const held = (yield* Ref.get(inFlight)).size
        if (batchMode === "sequential" && held > 0) {
          yield* waitForWork()
          return "continue" as const
        }
        const room =
          batchMode === "sequential"
            ? config.batchSize
            : (yield* throttle.current).limit + config.batchSize - held
        if (room <= 0) {
          yield* waitForWork()
          return "continue" as const
        }
        const claimed = yield* claim(Math.min(room, config.batchSize))
        if (claimed.length > 0) {
          yield* Ref.set(idle, false)
          const batch = yield* FiberSet.run(batches, runBatch(claimed, batchMode, untilIdle))
          if (batchMode === "sequential") yield* Fiber.await(batch)
          return "continue" as const
        }
        if (untilIdle && held === 0) {
          const pending = yield* retryDatabase(repo.pending)
          if (pending.queued === 0 && pending.processing === 0) return "done" as const
        }
        if (!untilIdle && held === 0 && !(yield* Ref.getAndSet(idle, true))) {
          yield* Effect.logInfo("queue empty, waiting").pipe(
            Effect.annotateLogs({ ...(yield* Ref.get(totals)) }),
          )
        }
        yield* waitForWork()
        return "continue" as const
      })

    const rescue = retryDatabase(repo.rescue(config.retryAttempts)).pipe(
      Effect.tap((rescued) =>
        rescued.length === 0
          ? Effect.void
          : Effect.logWarning(`rescued ${rescued.length} pages whose worker stopped renewing their lease`),
      ),
    )

    const heartbeat = Effect.gen(function* () {
      const held = [...(yield* Ref.get(inFlight)).keys()]
      if (held.length > 0) yield* retryDatabase(repo.renew(owner, held, lease))
      yield* rescue
    })

    const shutdown = Effect.gen(function* () {
      if ((yield* FiberSet.size(batches)) === 0) return
      yield* Effect.logInfo(
        `shutting down: waiting up to ${config.shutdownGraceSeconds}s for in-flight pages`,
      )
      const grace = Duration.seconds(config.shutdownGraceSeconds)
      // Finalizers run uninterruptibly: the waits must be made interruptible for their timeouts to fire.
      const finished = yield* FiberSet.awaitEmpty(batches).pipe(
        Effect.interruptible,
        Effect.timeoutOption(grace),
      )
      const leftover = [...(yield* Ref.get(inFlight)).values()]
      yield* FiberSet.clear(batches)
      if (leftover.length > 0) {
        // The line says what the database did: a failed release leaves the pages to lease rescue.
        const released = yield* repo
          .release(leftover, owner)
          .pipe(Effect.interruptible, Effect.timeout(Duration.seconds(10)), Effect.exit)
        yield* Exit.match(released, {
          onSuccess: (count) => Effect.logWarning(`released ${count} unfinished pages to the queue`),
          onFailure: (cause) =>
            Effect.logError(
              `could not release ${leftover.length} unfinished pages; they return to the queue when their lease expires (WF7_LEASE_SECONDS=${lease})`,
              cause,
            ),
        })
      } else if (finished._tag === "Some") {
        yield* Effect.logInfo("all in-flight pages finished")
      }
    })

    // Registered before the loops start, so it runs after they are interrupted: claims stop first.
    yield* Effect.addFinalizer(() => shutdown)
    // Each beat is guarded: a statement the database refuses once must not end the renewals for good.
    yield* heartbeat.pipe(
      Effect.catchAllCause((cause) => Effect.logError("lease heartbeat failed", cause)),
      Effect.repeat(Schedule.spaced(Duration.seconds(Math.max(lease / 3, 0.05)))),
      Effect.forkScoped,
    )

    /** Processes until the queue is empty (or fetching pauses), or forever when `untilIdle` is false. */
    const run = (untilIdle: boolean) =>
      Effect.gen(function* () {
        // The plan's concurrency limit is learnt in the background: a slow /account must not delay work.
        yield* gate.probe.pipe(Effect.ignore, Effect.forkIn(scope))
        yield* rescue
        for (;;) {
          const next = yield* step(untilIdle).pipe(
            Effect.catchAllCause((cause) =>
              Effect.logError("processing loop failed; retrying", cause).pipe(
                Effect.zipRight(Effect.sleep(poll)),
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
      const { limit } = yield* throttle.current
      const current = yield* Ref.get(mode)
      return {
        inFlight: (yield* Ref.get(inFlight)).size,
        effectiveConcurrency: current === "concurrent" ? limit : 1,
        maxConcurrency: config.maxConcurrent,
        mode: current,
        fetcher: yield* gate.current,
      }
    })

    return { run, wake, status, totals: Ref.get(totals), owner } as const
  }),
}) {}
