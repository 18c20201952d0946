import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { contactPage, scriptedFetcher, type Script } from "./ScriptedFetcher.js"
import { configFrom } from "./TestConfig.js"
import { FreshTables } from "./TestDatabase.js"

/** The engine on a scripted fetcher over the emptied test database, and helpers to queue and read pages. */

const fast = {
  WF7_POLL_INTERVAL_SECONDS: "0.05",
  WF7_RETRY_BASE_SECONDS: "0.01",
  WF7_CONCURRENT_BATCH_SIZE: "5",
}

/** Emptied tables, the engine on a scripted fetcher, and the curation service to queue pages. */
export const world = (script: Script, env: Record<string, string> = {}) => {
  const fetcher = scriptedFetcher(script)
  // The same layer value twice is built once: the log the test reads is the engine's fetcher's.
  return Layer.merge(engineWith(fetcher), fetcher).pipe(
    Layer.provideMerge(Curation.Default),
    Layer.provideMerge(configFrom({ ...fast, ...env })),
    Layer.provide(FreshTables),
  )
}

export const queue = (urls: ReadonlyArray<string>) =>
  Effect.flatMap(Curation, (curation) => curation.importUrls(urls, { select: true }))

export const pagesByStatus = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ url: string; status: string; error: string | null; attempts: number }>`
    SELECT url, page_processing_status AS status, page_processing_error AS error,
           processing_attempts AS attempts
    FROM pages ORDER BY url`
})

export const urls = (count: number, prefix = "https://shop.example.com/p") =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`)

export const ok: Script = (url) => Effect.succeed(contactPage(url))
