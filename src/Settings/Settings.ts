import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Layer, Option, Schema } from "effect"
import { AppConfig } from "../Config.js"
import { fromConfig, Rollout, type RolloutSettings } from "./Rollout.js"

/**
 * The rollout settings in the database (00007): seeded once from the environment, then changed through
 * the API with who changed them. Every node reads them before each batch, so a change applies at once.
 */

/** The most pages in flight the API accepts: the same bound as SCRAPER_API_MAX_CONCURRENT. */
const MAX_CONCURRENCY_CAP = 5000

const Percent = Schema.Int.pipe(Schema.between(0, 100))
const Concurrency = Schema.Int.pipe(Schema.between(1, MAX_CONCURRENCY_CAP))

export const SettingsView = Schema.Struct({
  concurrent_enabled: Schema.Boolean,
  rollout_percent: Percent,
  max_concurrency: Concurrency,
  updated_at: Schema.Date,
  /** The JWT's subject, "api key", or "environment" for the values seeded at first start. */
  updated_by: Schema.String,
}).annotations({ identifier: "Settings" })
export type SettingsView = typeof SettingsView.Type

export const SettingsChange = Schema.Struct({
  concurrent_enabled: Schema.optionalWith(Schema.Boolean, { exact: true }),
  rollout_percent: Schema.optionalWith(Percent, { exact: true }),
  max_concurrency: Schema.optionalWith(Concurrency, { exact: true }),
})
  .pipe(
    Schema.filter((change) => Object.keys(change).length > 0, {
      message: () => "name at least one of concurrent_enabled, rollout_percent, max_concurrency",
    }),
  )
  .annotations({ identifier: "SettingsChange", description: "The settings to change; the others stay" })
export type SettingsChange = typeof SettingsChange.Type

export const SettingsHistoryEntry = Schema.Struct({
  setting: Schema.Literal("concurrent_enabled", "rollout_percent", "max_concurrency"),
  old_value: Schema.String,
  new_value: Schema.String,
  changed_by: Schema.String,
  changed_at: Schema.Date,
}).annotations({ identifier: "SettingsHistoryEntry" })

const columns = ["concurrent_enabled", "rollout_percent", "max_concurrency"] as const

export class Settings extends Effect.Service<Settings>()("Settings/Settings", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const seed = fromConfig(yield* AppConfig)

    const select = (lock: boolean) => sql`
      SELECT concurrent_enabled, rollout_percent, max_concurrency, updated_at, updated_by FROM settings
      ${lock ? sql`FOR UPDATE` : sql``}`

    const row = { Request: Schema.Boolean, Result: Schema.typeSchema(SettingsView), execute: select }
    const find = SqlSchema.findOne(row)
    const single = SqlSchema.single(row)

    // Seeded on first read, not at start-up (the API serves /readyz before migrations have run).
    const current = (lock: boolean) =>
      Effect.flatMap(find(lock), (row) =>
        Option.isSome(row)
          ? Effect.succeed(row.value)
          : sql`
              INSERT INTO settings (concurrent_enabled, rollout_percent, max_concurrency, updated_by)
              VALUES (${seed.concurrentEnabled}, ${seed.rolloutPercent}, ${seed.maxConcurrency}, 'environment')
              ON CONFLICT (id) DO NOTHING`.pipe(Effect.zipRight(single(lock))),
      )

    const findHistory = SqlSchema.findAll({
      Request: Schema.Int,
      Result: Schema.typeSchema(SettingsHistoryEntry),
      execute: (limit) => sql`
        SELECT setting, old_value, new_value, changed_by, changed_at FROM settings_history
        ORDER BY changed_at DESC, id DESC LIMIT ${limit}`,
    })

    const get = Effect.fn("Settings.get")(function* () {
      return yield* current(false)
    }, Effect.orDie)

    const update = Effect.fn("Settings.update")(function* (change: SettingsChange, by: string) {
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          const before = yield* current(true)
          const changed = columns.flatMap((column) => {
            const value = change[column]
            return value === undefined || value === before[column] ? [] : [[column, value] as const]
          })
          if (changed.length === 0) return before
          const after = { ...before, ...change }
          yield* sql`
            UPDATE settings SET concurrent_enabled = ${after.concurrent_enabled},
              rollout_percent = ${after.rollout_percent}, max_concurrency = ${after.max_concurrency},
              updated_at = now(), updated_by = ${by}`
          yield* sql`INSERT INTO settings_history ${sql.insert(
            changed.map(([setting, value]) => ({
              setting,
              old_value: String(before[setting]),
              new_value: String(value),
              changed_by: by,
            })),
          )}`
          return yield* current(false)
        }),
      )
    }, Effect.orDie)

    const history = Effect.fn("Settings.history")(function* (limit: number) {
      return yield* findHistory(limit)
    }, Effect.orDie)

    return { get, update, history } as const
  }),
}) {}

const toRollout = (settings: SettingsView): RolloutSettings => ({
  concurrentEnabled: settings.concurrent_enabled,
  rolloutPercent: settings.rollout_percent,
  maxConcurrency: settings.max_concurrency,
})

export const RolloutFromDatabase = Layer.effect(
  Rollout,
  Effect.map(Settings, (settings) => Rollout.of({ current: Effect.map(settings.get(), toRollout) })),
).pipe(Layer.provide(Settings.Default))
