import { SqlClient } from "@effect/sql"
import { Clock, Console, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as path from "node:path"
import { AppConfig } from "../../Config.js"
import { embeddedPostgres, temporaryDirectory } from "../../EmbeddedPostgres.js"
import { Curation } from "../../Pages/Curation.js"
import { decodeRows } from "../../Pages/Rows.js"
import { Engine } from "../../Processing/Engine.js"
import { PageFetcherLive } from "../../Fetch/Fetching.js"
import { engineWith } from "../../Processing/Worker.js"
import { Latency, Sandbox, type SampleCorpus, type SandboxHandle } from "../../Sandbox/index.js"
import { DEFAULT_JS_SHARE } from "../../Sandbox/State.js"
import { clientLayer, MigrationsLive } from "../../Sql.js"
import type { DemoOptions } from "../Demo.js"
import { table } from "../Table.js"

export const throughSandbox = (
  sandbox: Pick<SandboxHandle, "baseUrl" | "apiKey">,
  changes: Partial<AppConfig>,
) =>
  Effect.map(AppConfig, (base) =>
    AppConfig.make({
      ...base,
      fetchMode: "scraperapi",
      scraperApiKey: Option.some(Redacted.make(sandbox.apiKey)),
      scraperApiBaseUrl: sandbox.baseUrl,
      pollIntervalSeconds: 0.2,
      rolloutPercent: 100,
      ...changes,
    }),
  )

interface Run {
  readonly mode: string
  readonly pages: number
  readonly contacts: number
  readonly seconds: number
  readonly credits: number
}

const processAll = (mode: string, config: AppConfig, sandbox: SandboxHandle) =>
  Effect.gen(function* () {
    yield* Console.log(
      `\n${mode} run: ${config.concurrentEnabled ? config.maxConcurrent : 1} page(s) in flight …`,
    )
    const context = yield* Layer.build(
      engineWith(PageFetcherLive).pipe(Layer.provide(Layer.succeed(AppConfig, config))),
    )
    const engine = yield* Effect.provide(Engine, context)
    const creditsBefore = (yield* sandbox.stats).creditsUsed
    const started = yield* Clock.currentTimeMillis
    yield* engine.run(true)
    const seconds = ((yield* Clock.currentTimeMillis) - started) / 1000
    const totals = yield* engine.totals
    const credits = (yield* sandbox.stats).creditsUsed - creditsBefore
    return { mode, pages: totals.complete, contacts: totals.contacts, seconds, credits } satisfies Run
  }).pipe(Effect.scoped)

const perMinute = (count: number, seconds: number) => Number(((count * 60) / seconds).toFixed(1))

const comparison = (runs: ReadonlyArray<Run>) =>
  table(
    runs.map((run) => [
      run.mode,
      run.pages,
      run.contacts,
      Number(run.seconds.toFixed(2)),
      perMinute(run.pages, run.seconds),
      perMinute(run.contacts, run.seconds),
      run.credits,
    ]),
    ["mode", "pages", "contacts", "seconds", "pages/min", "contacts/min", "credits"],
  )

const known = (corpus: SampleCorpus, urls: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* decodeRows(
      Schema.Struct({ value: Schema.String }),
      sql`SELECT coalesce(email, phone) AS value FROM contacts`,
    )
    const stored = new Set(rows.map((row) => row.value))
    const wanted = new Set(
      urls.flatMap((url) => {
        const page = corpus.page(url)
        return page ? [...page.expected.emails, ...page.expected.phones] : []
      }),
    )
    return {
      found: [...wanted].filter((value) => stored.has(value)).length,
      wanted: wanted.size,
      stored: stored.size,
    }
  })

export const demo = ({ concurrency, latencyMs, pages }: DemoOptions) =>
  Effect.gen(function* () {
    yield* Console.log("WF7 demo: embedded Postgres + ScraperAPI simulator, nothing to install")
    const dir = yield* temporaryDirectory("wf7-demo-")
    const connection = yield* embeddedPostgres({
      dataDir: path.join(dir, "data"),
      persistent: false,
      database: "wf7",
    })
    const sandbox = yield* Sandbox.start({
      sites: Math.ceil(pages / 1.4),
      seed: 42,
      jsShare: DEFAULT_JS_SHARE,
      latency: Latency.Fixed({ ms: latencyMs }),
      concurrencyLimit: concurrency * 2,
    })
    const urls = sandbox.corpus.urls.slice(0, pages)
    const config = yield* throughSandbox(sandbox, { maxConcurrent: concurrency })
    const database = Layer.provideMerge(
      Curation.Default,
      Layer.provideMerge(MigrationsLive, clientLayer(connection, { poolSize: 5, connectTimeoutSeconds: 10 })),
    )
    return yield* Effect.gen(function* () {
      const curation = yield* Curation
      const sql = yield* SqlClient.SqlClient
      const imported = yield* curation.importUrls(urls, { select: false })
      const selected = yield* curation.setStatusWhere({ page_curation_status: "New" }, "Selected")
      yield* Console.log(
        `imported ${imported.created} sample pages from ${sandbox.corpus.sites.length} sites, selected ${selected.updated} (${selected.queued} queued); simulated latency ${latencyMs} ms`,
      )
      const sequential = yield* processAll(
        "sequential",
        AppConfig.make({ ...config, concurrentEnabled: false }),
        sandbox,
      )
      const check = yield* known(sandbox.corpus, urls)
      // The same pages again, from a clean slate, so both runs find and store the same contacts.
      yield* sql`TRUNCATE contacts, social_profiles`
      yield* curation.setStatusWhere({ page_processing_status: "Complete" }, "Selected")
      const concurrent = yield* processAll(
        "concurrent",
        AppConfig.make({ ...config, concurrentEnabled: true }),
        sandbox,
      )
      const speedUp = sequential.seconds / concurrent.seconds
      yield* Console.log(`\n${comparison([sequential, concurrent])}\n`)
      yield* Console.log(`speed-up: ${speedUp.toFixed(1)}x pages per minute with ${concurrency} in flight`)
      yield* Console.log(
        `known contacts stored: ${check.found} of ${check.wanted} (${check.stored} stored in all); simulator saw at most ${(yield* sandbox.stats).maxInFlight} requests at once`,
      )
      // The second run renders the script-built sites' pages first: the first run taught it their domains.
      yield* Console.log(
        `ScraperAPI credits (WF7_RENDER=${config.renderMode}, ${Math.round(DEFAULT_JS_SHARE * 100)} % of the sites built by scripts): ${sequential.credits} sequential, ${concurrent.credits} concurrent; ${sequential.pages * 10} had every page been rendered`,
      )
    }).pipe(Effect.provide(database))
  }).pipe(Effect.scoped, Effect.provide(AppConfig.Default))
