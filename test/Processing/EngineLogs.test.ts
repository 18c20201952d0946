import { expect, layer } from "@effect/vitest"
import { Chunk, Clock, Effect, TestClock, TestContext } from "effect"
import { CreditsExhausted, HostNotFound, PageGone } from "../../src/Fetch/Errors.js"
import { Engine } from "../../src/Processing/Engine.js"
import { ok, pagesByStatus, queue, urls, world } from "../support/EngineWorld.js"
import { eventually } from "../support/Eventually.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import type { Script } from "../support/ScriptedFetcher.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** What the engine tells the operator: batch lines, the rollback line, the daemon going idle. */

const BATCH_LINE =
  /^WF7 (Concurrent|Sequential): Processed \d+ pages in \d+\.\d\ds, \d+ successful, \d+ failed/

/** The daemon's poll interval in the idle test, in milliseconds of the test clock. */
const poll = 5_000

/** Every fourth page is a dead link: gone (404) or a domain without DNS. */
const deadLinks: Script = (url, call) =>
  url.endsWith("0") || url.endsWith("4")
    ? Effect.fail(new PageGone({ status: 404, message: "not found" }))
    : url.endsWith("8")
      ? Effect.fail(new HostNotFound({ message: "no DNS" }))
      : ok(url, call)

layer(TestDatabaseLive, { excludeTestServices: true })("engine log lines", (it) => {
  it.effect("dead links (404, DNS) keep concurrency on; the batch lines count them by reason", () =>
    Effect.gen(function* () {
      yield* queue(urls(40))
      const lines: Array<LogLine> = []
      const engine = yield* Engine
      yield* collectLogs(engine.run(true), lines)
      const errors = (yield* pagesByStatus).filter((page) => page.status === "Error")
      expect(errors).toHaveLength(12)
      expect(lines.filter((line) => line.message.startsWith("WF7 rollback"))).toEqual([])
      expect((yield* engine.status).mode).toBe("concurrent")
      const batches = lines.filter((line) => BATCH_LINE.test(line.message))
      expect(
        batches.every((line) => line.level === "INFO" && line.message.startsWith("WF7 Concurrent")),
      ).toBe(true)
      const reasons = new Map<string, number>()
      for (const { message } of batches) {
        const grouped = message.match(/failed \((.*)\)/)?.[1] ?? ""
        for (const [, count, tag] of grouped.matchAll(/(\d+) (\w+)/g)) {
          reasons.set(tag!, (reasons.get(tag!) ?? 0) + Number(count))
        }
      }
      expect(Object.fromEntries(reasons)).toEqual({ PageGone: 8, HostNotFound: 4 })
    }).pipe(
      Effect.provide(
        world(deadLinks, {
          WF7_ENABLE_CONCURRENT_PROCESSING: "true",
          WF7_CONCURRENT_BATCH_SIZE: "10",
          WF7_ROLLBACK_ERROR_RATE: "0.1",
        }),
      ),
    ),
  )

  it.effect("exhausted credits: the batch line says released, not failed", () =>
    Effect.gen(function* () {
      yield* queue(urls(3))
      const lines: Array<LogLine> = []
      expect(yield* collectLogs((yield* Engine).run(true), lines)).toBe("paused")
      const batches = lines.filter((line) => BATCH_LINE.test(line.message))
      expect(batches.map((line) => line.message.replace(/in \S+s/, "in Ts"))).toEqual([
        "WF7 Sequential: Processed 3 pages in Ts, 0 successful, 0 failed, 3 released",
      ])
    }).pipe(Effect.provide(world(() => Effect.fail(new CreditsExhausted({ message: "credits exhausted" }))))),
  )

  it.effect("the daemon says 'queue empty, waiting' once per idle spell; one-page batches go to DEBUG", () =>
    Effect.gen(function* () {
      const lines: Array<LogLine> = []
      const idle = () => lines.filter((line) => line.message === "queue empty, waiting")
      /** Lets the loop's poll fire, then waits until it is waiting for the next one. */
      const pollOnce = Effect.gen(function* () {
        yield* TestClock.adjust(poll)
        const next = (yield* Clock.currentTimeMillis) + poll
        yield* eventually(
          Effect.map(
            TestClock.sleeps(),
            Chunk.some((at) => at === next),
          ),
        )
      })
      yield* queue(urls(1))
      const engine = yield* Engine
      yield* collectLogs(engine.run(false), lines).pipe(Effect.forkScoped)
      yield* eventually(Effect.sync(() => idle().length === 1))
      for (let i = 0; i < 10; i++) yield* pollOnce
      expect(idle()).toHaveLength(1)
      yield* queue(urls(1, "https://other.example.com/p"))
      yield* pollOnce
      yield* eventually(Effect.sync(() => idle().length === 2))
      for (let i = 0; i < 10; i++) yield* pollOnce
      expect(idle().map((line) => line.fields)).toEqual([
        expect.objectContaining({ pages: 1, complete: 1 }),
        expect.objectContaining({ pages: 2, complete: 2 }),
      ])
      const batches = lines.filter((line) => BATCH_LINE.test(line.message))
      expect(batches.map((line) => line.level)).toEqual(["DEBUG", "DEBUG"])
    }).pipe(
      Effect.scoped,
      Effect.provide(world(ok, { WF7_POLL_INTERVAL_SECONDS: String(poll / 1000) })),
      Effect.provide(TestContext.TestContext),
    ),
  )
})
