import { Duration, Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"
import type { PageBody } from "../Extract/Decode.js"
import { readPage, type ReadOptions } from "../Extract/Reading.js"
import { ExtractFailed, makeExtractPool, type PoolOptions } from "./ExtractPool.js"

/**
 * A page's contacts, extracted on WF7_EXTRACT_WORKERS worker threads (ExtractPool) or, with 0, on the
 * main thread. Either way extraction that throws, or a worker that dies or overruns the time cap on
 * the page, fails with `ExtractFailed` and its message; the page ends `Error`, the next goes on. While
 * EXTRACT_BACKLOG fetched pages wait for extraction, `room` holds back new pages' fetches.
 */

export { ExtractFailed }

/** Longest one page may extract on a worker: far past linear extraction (SPEC §6: 1 MB well under 1 s). */
export const EXTRACT_TIME_CAP = Duration.seconds(30)

// Workers run compiled JavaScript: dist/src/Extract/ExtractWorker.js is one folder up from this module
// once built (dist/src/Processing/, or the bundle's dist/src/chunks/), and in dist when tests run sources.
export const workerEntry = new URL(
  import.meta.url.endsWith(".ts") ? "../../dist/src/Extract/ExtractWorker.js" : "../Extract/ExtractWorker.js",
  import.meta.url,
)

const inline = (body: PageBody, options: ReadOptions) =>
  Effect.try({
    try: () => readPage(body, options),
    catch: (error) => new ExtractFailed({ message: String(error) }),
  })

/**
 * Fetched pages waiting for or in extraction before no new page may start (`room`): their bodies are
 * what waits, about 15 MB at 60 KB a page. With a busy CPU, pages then wait unstarted as claimed rows.
 */
export const EXTRACT_BACKLOG = 256

const make = (options: PoolOptions) =>
  Effect.gen(function* () {
    const { extract } = options.workers === 0 ? { extract: inline } : yield* makeExtractPool(options)
    const open = yield* Effect.makeLatch(true)
    let pending = 0
    const settled = Effect.sync(() => {
      if (--pending < EXTRACT_BACKLOG) open.unsafeOpen()
    })
    return {
      extract: (body: PageBody, read: ReadOptions) =>
        Effect.suspend(() => {
          if (++pending >= EXTRACT_BACKLOG) open.unsafeClose()
          return Effect.ensuring(extract(body, read), settled)
        }),
      room: open.await,
    }
  })

export class Extractor extends Effect.Service<Extractor>()("Processing/Extractor", {
  scoped: Effect.flatMap(AppConfig, ({ extractWorkers }) =>
    make({ workers: extractWorkers, entry: workerEntry, timeCap: EXTRACT_TIME_CAP }),
  ),
}) {}

/** The extractor with other workers, entry or cap: tests give a worker that crashes or hangs on cue. */
export const extractorWith = (options: PoolOptions) =>
  Layer.scoped(Extractor, Effect.map(make(options), Extractor.make))
