import { Duration, Effect, Queue, Random } from "effect"
import { AppConfig } from "../Config.js"
import { GatedFetcher } from "../Fetch/GatedFetcher.js"
import { verdictOf } from "./Outcomes.js"
import type { ConcurrencyMode } from "./Pipeline.js"
import { Rollout } from "../Settings/Rollout.js"
import type { PageOutcome } from "./ProcessPage.js"
import { Extractor } from "./Extractor.js"
import { Rollback } from "./Rollback.js"
import { SAVE_CAPACITY, Saver } from "./Saver.js"
import { Slots } from "./Slots.js"

/**
 * When to claim and how much: woken by a NOTIFY, a page leaving the upstream or a trigger, else every
 * WF7_POLL_INTERVAL_SECONDS. A batch is sequential when concurrency is off, rolled back or outside the
 * rollout share; a claim fills the slots this node wants (sized by the rollout and the plan, before the
 * fleet's share) plus one batch waiting for them, less the pages on the upstream and those the save
 * stage holds beyond its queue.
 */

export type BatchMode = "concurrent" | "sequential"

export class Scheduler extends Effect.Service<Scheduler>()("Processing/Scheduler", {
  effect: Effect.gen(function* () {
    const { pollIntervalSeconds, concurrentEnabled, batchSize } = yield* AppConfig
    const rollback = yield* Rollback
    const rollout = yield* Rollout
    const slots = yield* Slots
    const saver = yield* Saver
    const fetcher = yield* GatedFetcher
    const { room: extractionRoom } = yield* Extractor
    const signals = yield* Queue.dropping<void>(1)
    const poll = Duration.seconds(pollIntervalSeconds)
    let mode: ConcurrencyMode = concurrentEnabled ? "concurrent" : "sequential"

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

    const room = (batchMode: BatchMode, held: number) =>
      Effect.gen(function* () {
        if (batchMode === "sequential") return held > 0 ? 0 : batchSize
        // The slots this node wants, not the fleet's share of them: what it holds is the demand its share
        // follows, so claiming for the share alone grew the share by a batch a heartbeat.
        const { wanted } = yield* slots.current
        const saving = yield* saver.backlog
        const upstream = held - saving
        const overflow = Math.max(0, saving - SAVE_CAPACITY)
        const open = Math.min(batchSize, wanted + batchSize - upstream - overflow)
        // A claim (a statement) waits for a quarter of a batch of room; the rest waiting keep the slots busy.
        return open >= Math.max(1, Math.floor(Math.min(batchSize, wanted) / 4)) ? open : 0
      })

    const record = (batchMode: BatchMode, results: ReadonlyArray<PageOutcome>) =>
      Effect.gen(function* () {
        if (batchMode !== "concurrent") return
        const verdicts = results.flatMap((result) => verdictOf(result) ?? [])
        if (yield* rollback.record(verdicts)) mode = "rolled-back"
      })

    const learnPlan = Effect.flatMap(fetcher.probe, (plan) =>
      plan.concurrencyLimit === undefined ? Effect.void : slots.capAt(plan.concurrencyLimit),
    )

    const concurrency = Effect.map(slots.current, ({ limit, max }) => ({
      mode,
      effectiveConcurrency: mode === "concurrent" ? limit : 1,
      maxConcurrency: max,
    }))

    return {
      wake,
      waitForWork,
      chooseMode,
      room,
      // A page starts once extraction keeps up, then once few pages queue for a slot.
      admit: Effect.zipRight(extractionRoom, slots.admit),
      record,
      learnPlan,
      concurrency,
      poll,
    } as const
  }),
  dependencies: [Rollback.Default, Slots.Default, Saver.Default, GatedFetcher.Default],
}) {}
