import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Engine } from "../../src/Processing/Engine.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { RolloutFromDatabase } from "../../src/Settings/Settings.js"
import { queue, urls } from "../support/EngineWorld.js"
import { apiClient, httpTestLayer, testEnv } from "../support/Http.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import { contactPage, scriptedFetcher, ScriptedFetches } from "../support/ScriptedFetcher.js"

const env = {
  ...testEnv,
  WF7_ENABLE_CONCURRENT_PROCESSING: "true",
  WF7_CONCURRENT_ROLLOUT_PERCENT: "100",
  WF7_POLL_INTERVAL_SECONDS: "0.05",
  WF7_CONCURRENT_BATCH_SIZE: "5",
}

// The engine as the daemon builds it (rollout from the settings table) beside the API, on one database.
// Each fetch yields a while, so the pages of a concurrent batch overlap as far as their slots allow.
const fetcher = scriptedFetcher((url) => Effect.as(Effect.repeatN(Effect.yieldNow(), 20), contactPage(url)))
const world = Layer.merge(engineWith(fetcher, RolloutFromDatabase), fetcher).pipe(
  Layer.provideMerge(httpTestLayer({ env })),
)

const batchLines = (lines: ReadonlyArray<LogLine>) =>
  lines.map((line) => line.message).filter((message) => /^WF7 (Concurrent|Sequential):/.test(message))

it.layer(world)("rollout settings in the engine", (it) => {
  it.effect("max_concurrency from the settings caps the pages in flight", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(apiClient, (api) =>
        api.settings.update({ payload: { concurrent_enabled: true, max_concurrency: 2 } }),
      )
      const engine = yield* Engine
      yield* queue(urls(5, "https://cap.example/p"))
      yield* engine.run(true)
      expect((yield* engine.status).maxConcurrency).toBe(2)
      const { log } = yield* ScriptedFetches
      expect((yield* log).maxInFlight).toBe(2)
    }),
  )

  it.effect("a PUT turning concurrency off makes the next batch run sequentially", () =>
    Effect.gen(function* () {
      const engine = yield* Engine
      const before: Array<LogLine> = []
      yield* queue(urls(5, "https://on.example/p"))
      yield* collectLogs(engine.run(true), before)
      expect(batchLines(before)).toEqual([expect.stringMatching(/^WF7 Concurrent: Processed 5 pages/)])

      const off = yield* Effect.flatMap(apiClient, (api) =>
        api.settings.update({ payload: { concurrent_enabled: false } }),
      )
      expect(off.concurrent_enabled).toBe(false)

      const after: Array<LogLine> = []
      yield* queue(urls(5, "https://off.example/p"))
      yield* collectLogs(engine.run(true), after)
      expect(batchLines(after)).toEqual([expect.stringMatching(/^WF7 Sequential: Processed 5 pages/)])
      expect((yield* engine.status).mode).toBe("sequential")
    }),
  )
})
