import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Engine } from "../../src/Processing/Engine.js"
import { extractorWith } from "../../src/Processing/Extractor.js"
import { RolloutFromConfig } from "../../src/Settings/Rollout.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { contactPage, scriptedFetcher } from "../support/ScriptedFetcher.js"
import { configFrom } from "../support/TestConfig.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** A page that kills its extraction worker ends `Error` with the message; the daemon and the pages after it go on. */

const CRASH = "https://crash.example.com/contact"
const after = ["https://shop.example.com/a", "https://shop.example.com/b"]

const fetcher = scriptedFetcher((url) =>
  Effect.succeed(url === CRASH ? "<p>wf7-test:crash</p>" : contactPage(url)),
)
const faulty = extractorWith({
  workers: 1,
  entry: new URL("../support/FaultyExtractWorker.mjs", import.meta.url),
  timeCap: Duration.seconds(30),
})

const world = Layer.merge(engineWith(fetcher, RolloutFromConfig, faulty), fetcher).pipe(
  Layer.provideMerge(Curation.Default),
  Layer.provideMerge(configFrom({ WF7_POLL_INTERVAL_SECONDS: "0.05" })),
  Layer.provideMerge(TestDatabaseLive),
)

describe("a page that crashes its extraction worker", () => {
  it.live("ends Error with the worker's message, and the pages after it are processed", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* (yield* Curation).importUrls([CRASH, ...after], { select: true })
      yield* (yield* Engine).run(true)
      const rows = yield* sql<{ url: string; status: string; error: string | null }>`
        SELECT url, page_processing_status AS status, page_processing_error AS error FROM pages ORDER BY url`
      expect(rows).toEqual([
        {
          url: CRASH,
          status: "Error",
          error: "ExtractFailed: extraction worker stopped: the page blew the worker up",
        },
        ...after.map((url) => ({ url, status: "Complete", error: null })),
      ])
    }).pipe(Effect.provide(world)),
  )
})
