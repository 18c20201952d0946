import { Effect, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { EngineLive } from "../../src/Processing/Worker.js"
import { Sandbox } from "../../src/Sandbox/index.js"
import { configFrom } from "./TestConfig.js"
import { FreshTables } from "./TestDatabase.js"

/**
 * The engine in this process with the real ScraperAPI fetcher, over real HTTP to the simulator (a
 * `Sandbox` the caller provides, so that it stays outside whatever is observed), on the test
 * file's own database, emptied; `Curation` to queue pages. What `wf7 drain` runs, made inspectable.
 */
export const sandboxEngine = (key: string, env: Record<string, string> = {}) =>
  Layer.unwrapEffect(
    Effect.map(Sandbox, ({ baseUrl }) =>
      EngineLive.pipe(
        Layer.provideMerge(
          configFrom({
            SCRAPER_API_KEY: key,
            SCRAPER_API_BASE_URL: baseUrl,
            WF7_POLL_INTERVAL_SECONDS: "0.05",
            WF7_RETRY_BASE_SECONDS: "0.01",
            ...env,
          }),
        ),
      ),
    ),
  ).pipe(Layer.provideMerge(Curation.Default), Layer.provide(FreshTables))
