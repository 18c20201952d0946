import { Duration, Effect, Queue, Random } from "effect"
import { AppConfig } from "../Config.js"
import { verdictOf } from "./Outcomes.js"
import type { ConcurrencyMode } from "./Pipeline.js"
import { Rollout } from "../Settings/Rollout.js"
import type { PageOutcome } from "./ProcessPage.js"
import { Rollback } from "./Rollback.js"
import { SAVE_CAPACITY } from "./Saver.js"
import { Slots } from "./Slots.js"

/**
 * When to claim and how much. Woken at once by a NOTIFY, a page leaving the upstream or a trigger,
 * else every WF7_POLL_INTERVAL_SECONDS. A batch is sequential when concurrency is off, while rolled
 * back, or outside the rollout share (the Rollout's values, read before each batch). A claim takes at
 * most WF7_CONCURRENT_BATCH_SIZE pages: the slots plus one batch waiting for them, less the pages
 * waiting for or on the upstream, and those the save stage holds beyond its queue.
 */

export type BatchMode = "concurrent" | "sequential"

export class Scheduler extends Effect.Service<Scheduler>()("Processing/Scheduler", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const rollback = yield* Rollback
    const rollout = yield* Rollout
    const slots = yield* Slots
    const signals = yield* Queue.dropping<void>(1)
    const poll = Duration.seconds(config.pollIntervalSeconds)
    let mode: ConcurrencyMode = config.concurrentEnabled ? "concurrent" : "sequential"

    const wake = Effect.asVoid(Queue.offer(signals, undefined))

    const waitForWork = (at: Duration.Duration = poll) =>
      Queue.take(signals).pipe(Effect.timeoutOption(at), Effect.asVoid)

    const chooseMode = Effect.gen(function* () {
      const settings = yield* rollout.current
      yield* slots.resize(settings.maxConcurrency)
      if (!settings.concurrentEnabled) {
        mode = "sequential"
        return "sequential" as const
      }
      if ((yield* rollback.rolledBackUntil) !== undefined) return "sequential" as const
      mode = "concurrent"
      const roll = yield* Random.nextIntBetween(0, 100)
      return roll < settings.rolloutPercent ? ("concurrent" as const) : ("sequential" as const)
    })

    /**
     * How many pages to claim now. `held` counts every page this node holds, `saving` those in the
     * save stage; sequential batches run alone.
     */
    const room = (batchMode: BatchMode, limit: number, held: number, saving: number) => {
      if (batchMode === "sequential") return held > 0 ? 0 : config.batchSize
      const upstream = held - saving
      const overflow = Math.max(0, saving - SAVE_CAPACITY)
      const open = Math.min(config.batchSize, limit + config.batchSize - upstream - overflow)
      // Room opens a page at a time: a claim (a statement) waits for a quarter of a batch of it, while
      // the three quarters still waiting keep the slots busy.
      return open >= Math.max(1, Math.floor(Math.min(config.batchSize, limit) / 4)) ? open : 0
    }

    /** A concurrent batch's outcomes go to the rollback window, which may switch to sequential. */
    const record = (batchMode: BatchMode, results: ReadonlyArray<PageOutcome>) =>
      Effect.gen(function* () {
        if (batchMode !== "concurrent") return
        const verdicts = results.flatMap((result) => verdictOf(result) ?? [])
        if (yield* rollback.record(verdicts)) mode = "rolled-back"
      })

    return {
      wake,
      waitForWork,
      chooseMode,
      room,
      record,
      mode: Effect.sync(() => mode),
      poll,
    } as const
  }),
  dependencies: [Rollback.Default, Slots.Default],
}) {}
