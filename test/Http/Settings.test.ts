import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Settings } from "../../src/Settings/Settings.js"
import {
  API_KEY,
  apiClient,
  apiClientAs,
  call,
  configLayer,
  httpTestLayer,
  json,
  jwtFor,
  testEnv,
} from "../support/Http.js"

const env = {
  ...testEnv,
  WF7_ENABLE_CONCURRENT_PROCESSING: "true",
  WF7_CONCURRENT_ROLLOUT_PERCENT: "10",
  SCRAPER_API_MAX_CONCURRENT: "8",
}

/** A raw PUT: the typed client would refuse to send what the server must refuse. */
const putRaw = (body: unknown) =>
  call("/api/v3/settings", {
    method: "PUT",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).pipe(Effect.flatMap(json))

it.layer(httpTestLayer({ env }))("HTTP API: rollout settings", (it) => {
  it.effect("start from the environment, change in part, and record who changed what", () =>
    Effect.gen(function* () {
      const api = yield* apiClient
      const first = yield* api.settings.get()
      expect(first).toMatchObject({
        concurrent_enabled: true,
        rollout_percent: 10,
        max_concurrency: 8,
        updated_by: "environment",
      })

      const half = yield* api.settings.update({ payload: { rollout_percent: 50 } })
      expect(half).toMatchObject({
        concurrent_enabled: true,
        rollout_percent: 50,
        updated_by: "api key",
      })

      const ops = yield* apiClientAs(yield* jwtFor("ops@example.com"))
      const off = yield* ops.settings.update({ payload: { concurrent_enabled: false, max_concurrency: 4 } })
      expect(off).toMatchObject({
        concurrent_enabled: false,
        rollout_percent: 50,
        max_concurrency: 4,
        updated_by: "ops@example.com",
      })
      expect(off.updated_at.getTime()).toBeGreaterThanOrEqual(first.updated_at.getTime())

      const history = yield* api.settings.history({ urlParams: { limit: 100 } })
      expect(
        history.items.map((entry) => [entry.setting, entry.old_value, entry.new_value, entry.changed_by]),
      ).toEqual([
        ["max_concurrency", "8", "4", "ops@example.com"],
        ["concurrent_enabled", "true", "false", "ops@example.com"],
        ["rollout_percent", "10", "50", "api key"],
      ])
      const latest = yield* api.settings.history({ urlParams: { limit: 1 } })
      expect(latest.items).toHaveLength(1)
    }),
  )

  it.effect("refuse a bad value, an empty change and an anonymous caller, changing nothing", () =>
    Effect.gen(function* () {
      const api = yield* apiClient
      const before = yield* api.settings.get()
      const tooMuch = yield* putRaw({ rollout_percent: 101 })
      expect(tooMuch).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining("rollout_percent") },
      })
      expect((yield* putRaw({ max_concurrency: 0 })).status).toBe(400)
      expect((yield* putRaw({ max_concurrency: 5001 })).status).toBe(400)
      const empty = yield* putRaw({})
      expect(empty).toMatchObject({ status: 400, body: { message: expect.stringContaining("at least one") } })
      // Raw: without the token the typed client always sends.
      const anonymous = yield* call("/api/v3/settings", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ concurrent_enabled: true }),
      })
      expect(anonymous.status).toBe(401)
      expect(yield* api.settings.get()).toEqual(before)
    }),
  )

  it.effect("keep the database's values when the environment changes after the first start", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const settings = yield* Settings.pipe(
        Effect.provide(
          Settings.Default.pipe(
            Layer.provide(configLayer({ ...env, WF7_CONCURRENT_ROLLOUT_PERCENT: "100" })),
            Layer.provide(Layer.succeed(SqlClient.SqlClient, sql)),
          ),
        ),
      )
      expect(yield* settings.get()).toMatchObject({ concurrent_enabled: false, rollout_percent: 50 })
    }),
  )
})
