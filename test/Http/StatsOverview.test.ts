import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { Bucket } from "../../src/Pages/PagesSeries.js"
import { apiClient, httpTestLayer } from "../support/Http.js"

const sum = (buckets: ReadonlyArray<typeof Bucket.Type>, key: "pages_completed" | "errors" | "contacts") =>
  buckets.reduce((total, bucket) => total + bucket[key], 0)

const minutesApart = (buckets: ReadonlyArray<typeof Bucket.Type>) =>
  ((buckets[1]?.at.getTime() ?? NaN) - (buckets[0]?.at.getTime() ?? NaN)) / 60_000

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
      const api = yield* apiClient
      yield* api.settings.update({ payload: { rollout_percent: 50 } })

      const body = yield* api.stats.get()
      const { last_hour, last_day } = body.series
      expect(last_hour).toHaveLength(60)
      expect(last_day).toHaveLength(96)
      expect(minutesApart(last_hour)).toBe(1)
      expect(minutesApart(last_day)).toBe(15)
      // The database's clock against this process's: both real, on one machine.
      expect(last_hour[59]?.at.getTime()).toBeLessThanOrEqual(Date.now())
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
