import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { callApi, httpTestLayer, json } from "../support/Http.js"

const sum = (buckets: Array<Record<string, number>>, key: string) =>
  buckets.reduce((total, bucket) => total + (bucket[key] ?? 0), 0)

it.layer(httpTestLayer())("HTTP API: what the console's overview reads from the stats", (it) => {
  it.effect("series per minute and per 15 minutes, the rollout, the pool, and diagnose's warnings", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO domains (domain) VALUES ('overview.example')`
      // Two pages done 2 minutes ago, one error 30 minutes ago, one complete 3 hours ago, one 2 days ago;
      // one page held past its lease.
      yield* sql`
        INSERT INTO pages (domain_id, url, page_curation_status, page_processing_status, processed_at, lease_expires_at)
        SELECT d.id, 'https://overview.example/' || v.n, 'Selected', v.status::page_processing_status,
               now() - v.ago, v.lease
        FROM domains d, (VALUES
          (1, 'Complete', interval '2 minutes', NULL::timestamptz),
          (2, 'Complete', interval '2 minutes', NULL),
          (3, 'Error', interval '30 minutes', NULL),
          (4, 'Complete', interval '3 hours', NULL),
          (5, 'Complete', interval '2 days', NULL),
          (6, 'Processing', NULL, now() - interval '1 minute')
        ) AS v (n, status, ago, lease)`
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
        SELECT id, domain_id, 'info@overview.example', 'SERVICE', 'text', now() - interval '2 minutes'
        FROM pages WHERE url = 'https://overview.example/1'`
      yield* callApi("/api/v3/settings", { method: "PUT", body: { rollout_percent: 50 } })

      const { status, body } = yield* callApi("/api/v3/stats").pipe(Effect.flatMap(json))
      expect(status).toBe(200)
      const { last_hour, last_day } = body.series
      expect(last_hour).toHaveLength(60)
      expect(last_day).toHaveLength(96)
      expect(Date.parse(last_hour[1].at) - Date.parse(last_hour[0].at)).toBe(60_000)
      expect(Date.parse(last_day[1].at) - Date.parse(last_day[0].at)).toBe(15 * 60_000)
      expect(Date.parse(last_hour[59].at)).toBeLessThanOrEqual(Date.now())
      expect([
        sum(last_hour, "pages_completed"),
        sum(last_hour, "errors"),
        sum(last_hour, "contacts"),
      ]).toEqual([2, 1, 1])
      expect([sum(last_day, "pages_completed"), sum(last_day, "errors")]).toEqual([3, 1])
      expect(body.rollout).toEqual({ concurrent_enabled: false, rollout_percent: 50, max_concurrency: 10 })
      expect(body.db_pool).toEqual({
        total: expect.any(Number),
        idle: expect.any(Number),
        waiting: expect.any(Number),
      })
      expect(body.rate_limited_total).toEqual(expect.any(Number))
      expect(body.warnings).toEqual([expect.stringContaining("1 pages are stuck in Processing")])
      expect(body.pipeline.fetcher).toMatchObject({ state: "paused", reason: "credits exhausted" })
    }),
  )
})
