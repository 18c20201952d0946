import { Clock, Context, Effect, Layer, Logger, LogLevel } from "effect"
import * as path from "node:path"
import { AppConfig } from "../../src/Config.js"
import type { Extraction } from "../../src/Domain/Contact.js"
import type { ClaimedPage } from "../../src/Domain/Page.js"
import { embeddedPostgres, temporaryDirectory } from "../../src/EmbeddedPostgres.js"
import { Curation } from "../../src/Pages/Curation.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { Saver } from "../../src/Processing/Saver.js"
import { database } from "./pipeline.js"

/**
 * The save stage alone (issue 13's target: ≥ 2,000 pages/s on the embedded Postgres with a pool of
 * 5): PAGES claimed pages, each with three emails, two phones and a profile, handed to the Saver at
 * once, as a wave of completions would be; pages/s from the first hand-over to the last write.
 */

const PAGES = 20_000

const extractionOf = (index: number): Extraction => ({
  emails: [1, 2, 3].map((n) => ({
    value: `staff${n}.${index}@bench.example.com`,
    type: "CORPORATE",
    source: "text",
  })),
  phones: [1, 2].map((n) => ({
    value: `+1415${String(index * 2 + n).padStart(7, "0")}`,
    type: "BUSINESS",
    source: "tel",
  })),
  socials: [{ platform: "linkedin", url: `https://www.linkedin.com/company/b${index}`, handle: `b${index}` }],
})

export interface SaveResult {
  readonly pages: number
  readonly seconds: number
  readonly pagesPerSecond: number
  readonly complete: number
}

export const benchSave = Effect.gen(function* () {
  const dir = yield* temporaryDirectory("wf7-bench-save-")
  const server = yield* embeddedPostgres({
    dataDir: path.join(dir, "data"),
    persistent: false,
    database: "postgres",
  })
  const context = yield* database(server, "bench_save")
  const urls = Array.from({ length: PAGES }, (_, i) => `https://site${i % 500}.bench.example.com/p${i}`)
  yield* Effect.provide(
    Effect.flatMap(Curation, (curation) => curation.importUrls(urls, { select: true })),
    context,
  )
  const built = yield* Layer.build(
    Layer.merge(Saver.Default, PagesRepo.Default).pipe(Layer.provide(Layer.succeedContext(context))),
  )
  const saver = Context.get(built, Saver)
  const repo = Context.get(built, PagesRepo)
  const claimed: Array<ClaimedPage> = []
  while (claimed.length < PAGES) claimed.push(...(yield* repo.claim("bench", 5000, 3600)))
  const spend = { credits: 1, fetchedWith: "plain", reason: "static" }
  const started = yield* Clock.currentTimeMillis
  const outcomes = yield* Effect.forEach(
    claimed,
    (page, index) =>
      saver.save({ page, spend, result: { _tag: "Complete", extraction: extractionOf(index), dropped: 0 } }),
    { concurrency: "unbounded" },
  )
  const seconds = ((yield* Clock.currentTimeMillis) - started) / 1000
  return {
    pages: PAGES,
    seconds: Number(seconds.toFixed(2)),
    pagesPerSecond: Math.round(PAGES / seconds),
    complete: outcomes.filter((outcome) => outcome._tag === "Complete").length,
  } satisfies SaveResult
}).pipe(Effect.scoped, Effect.provide(AppConfig.Default), Logger.withMinimumLogLevel(LogLevel.Warning))

export const printSave = (result: SaveResult) => {
  console.log("\nSave stage: grouped saves on embedded Postgres, pool of 5")
  console.log(
    `${result.complete} of ${result.pages} pages saved (3 emails, 2 phones, 1 profile each) in ${result.seconds}s: ${result.pagesPerSecond} pages/s`,
  )
}
