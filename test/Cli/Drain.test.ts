import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { Latency, Sandbox } from "../../src/Sandbox/index.js"
import { runCli, runCliOnTerminal } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/** What `wf7 drain` shows: a live line on a terminal, the batch lines in a pipe or as JSON logs. */

const KEY = "sk-drain-0b7a"

const world = Layer.mergeAll(
  Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive)),
  Sandbox.layer({ apiKey: KEY, sites: 12, seed: 4, latency: Latency.Fixed({ ms: 5 }) }),
)

/** Queues the first `count` sample pages (again, for those done before) and returns the drain's environment. */
const queued = (count: number) =>
  Effect.gen(function* () {
    const sandbox = yield* Sandbox
    yield* (yield* Curation).importUrls(sandbox.corpus.urls.slice(0, count), { select: true })
    return {
      DATABASE_URL: (yield* TestDatabase).url,
      SCRAPER_API_KEY: KEY,
      SCRAPER_API_BASE_URL: sandbox.baseUrl,
      WF7_POLL_INTERVAL_SECONDS: "0.1",
    }
  })

const BATCH_LINE = "WF7 Sequential: Processed"
const CLEAR_LINE = "\r\x1b[2K"

layer(world, { timeout: 120_000 })("wf7 drain output", (it) => {
  it.effect(
    "on a terminal: one live line with done / total, rate, contacts, errors and ETA; no batch lines",
    () =>
      Effect.gen(function* () {
        const env = yield* queued(6)
        const { code, screen } = yield* Effect.promise(() => runCliOnTerminal(["drain"], env))
        expect(code).toBe(0)
        expect(screen).not.toContain(BATCH_LINE)
        const drawn = screen.split(CLEAR_LINE).slice(1)
        expect(drawn.length).toBeGreaterThan(0)
        expect(drawn.at(-1)).toMatch(
          /^drain: 6\/6 pages, [\d.]+ pages\/min, \d+ contacts, 0 errors, ETA 0s\r?\n/,
        )
        expect(screen).toMatch(/\{"pages":6,"complete":6,"error":0,/)
      }),
  )

  it.effect("on a terminal with WF7_LOG_FORMAT=json: the batch lines, no live line", () =>
    Effect.gen(function* () {
      const env = yield* queued(8)
      const { code, screen } = yield* Effect.promise(() =>
        runCliOnTerminal(["drain"], { ...env, WF7_LOG_FORMAT: "json" }),
      )
      expect(code).toBe(0)
      expect(screen).toContain(BATCH_LINE)
      expect(screen).not.toContain(CLEAR_LINE)
    }),
  )

  it.effect("in a pipe: the batch lines as before, no live line; the summary's numbers rounded", () =>
    Effect.gen(function* () {
      const env = yield* queued(10)
      const result = yield* Effect.promise(() =>
        runCli(["drain"], { env: { ...env, WF7_LOG_FORMAT: "pretty" } }),
      )
      expect(result.code).toBe(0)
      expect(result.stderr).toContain(BATCH_LINE)
      expect(result.stderr).not.toContain(CLEAR_LINE)
      const summary = JSON.parse(result.stdout.trim().split("\n").at(-1)!)
      expect(summary).toMatchObject({ pages: 10, complete: 10, error: 0 })
      expect(summary.seconds).toBe(Math.round(summary.seconds * 1000) / 1000)
      for (const rate of [summary.pagesPerMinute, summary.contactsPerMinute]) {
        expect(rate).toBe(rate >= 1000 ? Math.round(rate) : Number(rate.toPrecision(3)))
      }
    }),
  )

  it.effect("on a terminal, an ERROR line prints on a line of its own above the live line", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const env = yield* queued(6)
      yield* sandbox.resetStats
      yield* sandbox.update({ credits: 2 })
      const { code, screen } = yield* Effect.promise(() => runCliOnTerminal(["drain"], env))
      yield* sandbox.update({ credits: 1_000_000 })
      expect(code).toBe(75)
      const lines = screen.split(/\r?\n/)
      const refused = lines.find((line) => line.includes("ScraperAPI refused requests"))
      // Whatever was drawn before it on that line was erased first.
      expect(refused?.split(CLEAR_LINE).at(-1)).toMatch(/^(?!drain:).*ERROR.*ScraperAPI refused requests/)
      expect(lines.filter((line) => line.includes("drain: 2/6 pages")).length).toBeGreaterThan(0)
    }),
  )
})
