import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Settings } from "../../src/Settings/Settings.js"
import { API_KEY, call, callApi, configLayer, httpTestLayer, json, jwtFor, testEnv } from "../support/Http.js"

const env = {
  ...testEnv,
  WF7_ENABLE_CONCURRENT_PROCESSING: "true",
  WF7_CONCURRENT_ROLLOUT_PERCENT: "10",
  SCRAPER_API_MAX_CONCURRENT: "8",
}

const put = (body: unknown, token = API_KEY) =>
  call("/api/v3/settings", {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).pipe(Effect.flatMap(json))

it.layer(httpTestLayer({ env }))("HTTP API: rollout settings", (it) => {
  it.effect("start from the environment, change in part, and record who changed what", () =>
    Effect.gen(function* () {
      const first = yield* callApi("/api/v3/settings").pipe(Effect.flatMap(json))
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({
        concurrent_enabled: true,
        rollout_percent: 10,
        max_concurrency: 8,
        updated_by: "environment",
      })

      const half = yield* put({ rollout_percent: 50 })
      expect(half.status).toBe(200)
      expect(half.body).toMatchObject({
        concurrent_enabled: true,
        rollout_percent: 50,
        updated_by: "api key",
      })

      const off = yield* put(
        { concurrent_enabled: false, max_concurrency: 4 },
        yield* jwtFor("ops@example.com"),
      )
      expect(off.body).toMatchObject({
        concurrent_enabled: false,
        rollout_percent: 50,
        max_concurrency: 4,
        updated_by: "ops@example.com",
      })
      expect(Date.parse(off.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(first.body.updated_at))

      const history = yield* callApi("/api/v3/settings/history").pipe(Effect.flatMap(json))
      expect(history.status).toBe(200)
      expect(
        history.body.items.map((entry: Record<string, string>) => [
          entry.setting,
          entry.old_value,
          entry.new_value,
          entry.changed_by,
        ]),
      ).toEqual([
        ["max_concurrency", "8", "4", "ops@example.com"],
        ["concurrent_enabled", "true", "false", "ops@example.com"],
        ["rollout_percent", "10", "50", "api key"],
      ])
      const latest = yield* callApi("/api/v3/settings/history?limit=1").pipe(Effect.flatMap(json))
      expect(latest.body.items).toHaveLength(1)
    }),
  )

  it.effect("refuse a bad value, an empty change and an anonymous caller, changing nothing", () =>
    Effect.gen(function* () {
      const before = yield* callApi("/api/v3/settings").pipe(Effect.flatMap(json))
      const tooMuch = yield* put({ rollout_percent: 101 })
      expect(tooMuch.status).toBe(400)
      expect(tooMuch.body.message).toContain("rollout_percent")
      expect((yield* put({ max_concurrency: 0 })).status).toBe(400)
      expect((yield* put({ max_concurrency: 5001 })).status).toBe(400)
      const empty = yield* put({})
      expect(empty.status).toBe(400)
      expect(empty.body.message).toContain("at least one")
      const anonymous = yield* call("/api/v3/settings", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ concurrent_enabled: true }),
      })
      expect(anonymous.status).toBe(401)
      expect((yield* callApi("/api/v3/settings").pipe(Effect.flatMap(json))).body).toEqual(before.body)
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
