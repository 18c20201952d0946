import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Option, Redacted } from "effect"
import { availableParallelism } from "node:os"
import { AppConfig, DatabaseConfig, describeConfigError } from "../src/Config.js"
import { collectLogs, type LogLine } from "./support/Logs.js"

const load = (env: Record<string, string>) =>
  Effect.gen(function* () {
    const database = yield* DatabaseConfig
    const app = yield* AppConfig
    return { database, app }
  }).pipe(
    Effect.provide(AppConfig.Default),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
  )

const errorOf = (env: Record<string, string>) =>
  load(env).pipe(
    Effect.either,
    Effect.map(Either.match({ onLeft: describeConfigError, onRight: () => "no error" })),
  )

describe("Config", () => {
  it.effect("has the SPEC defaults when nothing is set", () =>
    Effect.gen(function* () {
      const { database, app } = yield* load({})
      expect(database.poolSize).toBe(5)
      expect(database.dataDir).toBe(".wf7")
      expect(Option.isNone(database.url)).toBe(true)
      expect(app.fetchMode).toBe("direct")
      expect(app.concurrentEnabled).toBe(false)
      expect(app.maxConcurrent).toBe(10)
      expect(app.rolloutPercent).toBe(100)
      expect(app.batchSize).toBe(10)
      expect(app.httpPoolSize).toBe(50)
      expect(app.httpPerHost).toBe(20)
      expect(app.httpTimeoutSeconds).toBe(70)
      expect(app.retryAttempts).toBe(3)
      expect(app.retryBackoffFactor).toBe(2)
      expect(app.leaseSeconds).toBe(120)
      expect(app.shutdownGraceSeconds).toBe(30)
      expect(app.creditsPauseSeconds).toBe(900)
      expect(app.maxPageBytes).toBe(5 * 1024 * 1024)
      expect(app.defaultPhoneRegion).toBe("US")
      expect(app.port).toBe(8080)
      expect(app.maxFilteredBatchSize).toBe(10000)
      expect(app.scraperApiBaseUrl).toBe("https://api.scraperapi.com/")
      expect(app.renderMode).toBe("auto")
      expect(Option.isNone(app.creditsDailyBudget)).toBe(true)
      expect(app.maxCreditsPerRequest).toBe(25)
      expect(app.extractWorkers).toBe(Math.max(1, availableParallelism() - 1))
    }),
  )

  it.effect(
    "SCRAPER_API_RENDER still works, with one WARN line saying what it maps to; WF7_RENDER wins",
    () =>
      Effect.gen(function* () {
        const renderWith = (env: Record<string, string>) => {
          const lines: Array<LogLine> = []
          return collectLogs(load(env), lines).pipe(
            Effect.map(({ app }) => ({
              mode: app.renderMode,
              warnings: lines.filter((line) => line.level === "WARN").map((line) => line.message),
            })),
          )
        }
        expect(yield* renderWith({ SCRAPER_API_RENDER: "false" })).toEqual({
          mode: "never",
          warnings: ["SCRAPER_API_RENDER is deprecated: use WF7_RENDER (it maps to WF7_RENDER=never)"],
        })
        expect(yield* renderWith({ SCRAPER_API_RENDER: "true", WF7_RENDER: "auto" })).toEqual({
          mode: "auto",
          warnings: [
            "SCRAPER_API_RENDER is deprecated: use WF7_RENDER (it maps to WF7_RENDER=always, and WF7_RENDER, also set, wins)",
          ],
        })
        expect(yield* renderWith({ WF7_RENDER: "Always", WF7_CREDITS_DAILY_BUDGET: "5000" })).toMatchObject({
          mode: "always",
          warnings: [],
        })
      }),
  )

  it.effect("uses ScraperAPI when a key is set, and keeps the key redacted", () =>
    Effect.gen(function* () {
      const { app } = yield* load({ SCRAPER_API_KEY: "sk-secret-123" })
      expect(app.fetchMode).toBe("scraperapi")
      const key = Option.getOrThrow(app.scraperApiKey)
      expect(Redacted.value(key)).toBe("sk-secret-123")
      expect(String(key)).not.toContain("sk-secret-123")
      expect(JSON.stringify(app)).not.toContain("sk-secret-123")
    }),
  )

  it.effect.each<[Record<string, string>, string]>([
    [{ WF7_DB_POOL_SIZE: "abc" }, 'WF7_DB_POOL_SIZE: must be an integer from 1 to 100 (got "abc")'],
    [{ WF7_DB_POOL_SIZE: "0" }, 'WF7_DB_POOL_SIZE: must be an integer from 1 to 100 (got "0")'],
    [{ SCRAPER_API_MAX_CONCURRENT: "2.5" }, "SCRAPER_API_MAX_CONCURRENT: must be an integer from 1 to 5000"],
    [
      { WF7_CONCURRENT_ROLLOUT_PERCENT: "150" },
      "WF7_CONCURRENT_ROLLOUT_PERCENT: must be an integer from 0 to 100",
    ],
    [{ WF7_RETRY_BACKOFF_FACTOR: "fast" }, "WF7_RETRY_BACKOFF_FACTOR: must be a number from 1 to 10"],
    [
      { WF7_ENABLE_CONCURRENT_PROCESSING: "maybe" },
      "WF7_ENABLE_CONCURRENT_PROCESSING: must be true or false",
    ],
    [{ WF7_FETCH_MODE: "carrier-pigeon" }, "WF7_FETCH_MODE: must be one of scraperapi, direct"],
    [{ WF7_RENDER: "sometimes" }, "WF7_RENDER: must be one of auto, always, never"],
    [{ WF7_DB_POOLER: "pgbouncer" }, "WF7_DB_POOLER: must be one of transaction, session, none"],
    [
      { WF7_LISTEN_DATABASE_URL: "mysql://db:3306/wf7" },
      "WF7_LISTEN_DATABASE_URL: must be a URL such as postgres://user:password@host:5432/wf7 (got mysql://…)",
    ],
    [{ SCRAPER_API_RENDER: "perhaps" }, "SCRAPER_API_RENDER: must be true or false"],
    [{ WF7_CREDITS_DAILY_BUDGET: "0" }, "WF7_CREDITS_DAILY_BUDGET: must be an integer from 1 to 1000000000"],
    [
      { WF7_MAX_CREDITS_PER_REQUEST: "lots" },
      "WF7_MAX_CREDITS_PER_REQUEST: must be an integer from 1 to 10000",
    ],
    [{ WF7_FETCH_MODE: "scraperapi" }, "SCRAPER_API_KEY must be set when WF7_FETCH_MODE=scraperapi"],
    [{ SCRAPER_API_BASE_URL: "ftp://proxy" }, "SCRAPER_API_BASE_URL: must be an http(s) URL"],
    [{ WF7_DEFAULT_PHONE_REGION: "XX" }, "WF7_DEFAULT_PHONE_REGION: must be a two-letter country code"],
    [{ PORT: "70000" }, "PORT: must be an integer from 0 to 65535"],
    [{ WF7_EXTRACT_WORKERS: "some" }, 'WF7_EXTRACT_WORKERS: must be an integer from 0 to 256 (got "some")'],
    [{ WF7_API_KEY: "short-key-1234" }, "WF7_API_KEY: must be at least 32 bytes (got 14)"],
    [{ WF7_JWT_SECRET: "s".repeat(31) }, "WF7_JWT_SECRET: must be at least 32 bytes (got 31)"],
  ])("refuses %j with a message naming the variable", ([env, message]) =>
    Effect.gen(function* () {
      const described = yield* errorOf(env)
      expect(described).toContain(message)
      expect(described.split("\n")).toHaveLength(1)
      expect(described).not.toContain("short-key-1234")
    }),
  )

  it.effect("accepts well-formed values", () =>
    Effect.gen(function* () {
      const { database, app } = yield* load({
        WF7_DB_POOL_SIZE: " 3 ",
        WF7_ENABLE_CONCURRENT_PROCESSING: "TRUE",
        WF7_RETRY_BACKOFF_FACTOR: "1.5",
        WF7_DEFAULT_PHONE_REGION: "gb",
        WF7_FETCH_MODE: "DIRECT",
        WF7_EXTRACT_WORKERS: "0",
      })
      expect(database.poolSize).toBe(3)
      expect(app.concurrentEnabled).toBe(true)
      expect(app.retryBackoffFactor).toBe(1.5)
      expect(app.defaultPhoneRegion).toBe("GB")
      expect(app.fetchMode).toBe("direct")
      expect(app.extractWorkers).toBe(0)
    }),
  )
})
