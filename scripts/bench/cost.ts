import { SqlClient } from "@effect/sql"
import { Effect, Logger, LogLevel } from "effect"
import * as path from "node:path"
import { throughSandbox } from "../../src/Cli/Actions/Demo.js"
import { table } from "../../src/Cli/Table.js"
import { AppConfig, type RenderMode } from "../../src/Config.js"
import { embeddedPostgres, temporaryDirectory, type EmbeddedConnection } from "../../src/EmbeddedPostgres.js"
import { Curation } from "../../src/Pages/Curation.js"
import { Sandbox, type SandboxHandle } from "../../src/Sandbox/index.js"
import { DEFAULT_JS_SHARE } from "../../src/Sandbox/State.js"
import { database, engineOn } from "./pipeline.js"

/**
 * What the contacts cost in ScraperAPI credits with WF7_RENDER=always, never and auto: the same
 * sample pages (the simulator's default share of script-built sites), each mode on a fresh database,
 * charged at ScraperAPI's prices by the simulator.
 */

const SITES = 200
const modes: ReadonlyArray<RenderMode> = ["always", "never", "auto"]

export interface CostResult {
  readonly mode: RenderMode
  readonly pages: number
  readonly credits: number
  /** Known contacts (of the sample pages) stored. */
  readonly contacts: number
  readonly creditsPerPage: number
  readonly creditsPerContact: number
  /** Credits the pages record: must equal what the simulator charged. */
  readonly creditsStored: number
}

const run = (server: EmbeddedConnection, sandbox: SandboxHandle, mode: RenderMode, index: number) =>
  Effect.gen(function* () {
    const context = yield* database(server, `cost_${index}`)
    const curation = yield* Effect.provide(Curation, context)
    const sql = yield* Effect.provide(SqlClient.SqlClient, context)
    yield* curation.importUrls(sandbox.corpus.urls, { select: true })
    const config = yield* throughSandbox(sandbox, {
      concurrentEnabled: true,
      maxConcurrent: 10,
      renderMode: mode,
    })
    const engine = yield* engineOn(config, context)
    yield* sandbox.resetStats
    yield* engine.run(true)
    const credits = (yield* sandbox.stats).creditsUsed
    const rows = yield* sql<{ value: string }>`SELECT coalesce(email, phone) AS value FROM contacts`
    const stored = new Set(rows.map((row) => row.value))
    const wanted = new Set(
      sandbox.corpus.pages.flatMap((page) => [...page.expected.emails, ...page.expected.phones]),
    )
    const contacts = [...wanted].filter((value) => stored.has(value)).length
    const [spent] = yield* sql<{
      credits: number
    }>`SELECT coalesce(sum(credits_spent), 0)::int AS credits FROM pages`
    const pages = sandbox.corpus.pages.length
    return {
      mode,
      pages,
      credits,
      contacts,
      creditsPerPage: Number((credits / pages).toFixed(2)),
      creditsPerContact: Number((credits / Math.max(1, contacts)).toFixed(3)),
      creditsStored: spent?.credits ?? 0,
    } satisfies CostResult
  }).pipe(Effect.scoped)

export const benchCost = Effect.gen(function* () {
  const dir = yield* temporaryDirectory("wf7-bench-cost-")
  const server = yield* embeddedPostgres({
    dataDir: path.join(dir, "data"),
    persistent: false,
    database: "postgres",
  })
  const sandbox = yield* Sandbox.start({
    sites: SITES,
    seed: 7,
    jsShare: DEFAULT_JS_SHARE,
    concurrencyLimit: 1000,
  })
  const results: Array<CostResult> = []
  for (const [index, mode] of modes.entries()) {
    const result = yield* run(server, sandbox, mode, index)
    console.error(`bench cost: ${JSON.stringify(result)}`)
    results.push(result)
  }
  const [always, never, auto] = results
  if (always === undefined || never === undefined || auto === undefined)
    return yield* Effect.dieMessage("a mode did not run")
  return {
    jsShare: DEFAULT_JS_SHARE,
    modes: results,
    autoContactsShare: Number((auto.contacts / always.contacts).toFixed(4)),
    autoCreditsShare: Number((auto.credits / always.credits).toFixed(4)),
  }
}).pipe(Effect.scoped, Effect.provide(AppConfig.Default), Logger.withMinimumLogLevel(LogLevel.Warning))

export const printCost = (result: Effect.Effect.Success<typeof benchCost>) => {
  console.log(
    `\nCost: ScraperAPI credits over the simulator (js share ${result.jsShare}), WF7_RENDER per row`,
  )
  console.log(
    table(
      result.modes.map((row) => [
        row.mode,
        row.pages,
        row.contacts,
        row.credits,
        row.creditsPerPage,
        row.creditsPerContact,
      ]),
      ["WF7_RENDER", "pages", "contacts found", "credits", "credits/page", "credits/contact"],
    ),
  )
  console.log(
    `auto finds ${(result.autoContactsShare * 100).toFixed(1)} % of always's contacts for ${(result.autoCreditsShare * 100).toFixed(1)} % of its credits`,
  )
}
