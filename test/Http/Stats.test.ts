import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apiClient, httpTestLayer, triggerCount } from "../support/Http.js"

// Pages finished in the window: four Complete (selected 10, 20, 30 and 40 s before), one Error; one
// Complete two days ago, outside it. Contacts: three this hour, two five hours ago, one days ago.
const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO domains (domain) VALUES ('stats.example')`
  yield* sql`
    INSERT INTO pages (domain_id, url, page_curation_status, page_processing_status, selected_at, processed_at)
    SELECT d.id, 'https://stats.example/' || v.n, v.curation::page_curation_status,
           v.processing::page_processing_status,
           v.processed - make_interval(secs => v.latency), v.processed
    FROM domains d, (VALUES
      (1, 'Selected', 'Complete', date_trunc('hour', now()), 10),
      (2, 'Selected', 'Complete', date_trunc('hour', now()), 20),
      (3, 'Selected', 'Complete', date_trunc('hour', now()) - interval '5 hours', 30),
      (4, 'Selected', 'Complete', date_trunc('hour', now()) - interval '5 hours', 40),
      (5, 'Selected', 'Error', date_trunc('hour', now()), 50),
      (6, 'Selected', 'Complete', now() - interval '2 days', 60),
      (7, 'Selected', 'Queued', NULL, 0),
      (8, 'New', NULL, NULL, 0),
      (9, 'Rejected', NULL, NULL, 0)
    ) AS v (n, curation, processing, processed, latency)`
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
    SELECT p.id, p.domain_id, 'c' || v.n || '@stats.example', 'CORPORATE', 'text', v.created_at
    FROM pages p, (VALUES
      (1, date_trunc('hour', now())), (2, date_trunc('hour', now())), (3, date_trunc('hour', now())),
      (4, date_trunc('hour', now()) - interval '5 hours'), (5, date_trunc('hour', now()) - interval '5 hours'),
      (6, now() - interval '3 days')
    ) AS v (n, created_at)
    WHERE p.url = 'https://stats.example/1'`
})

it.layer(httpTestLayer())("HTTP API: stats and scheduler", (it) => {
  it.effect("reports the queue, the last 24 hours and the live pipeline", () =>
    Effect.gen(function* () {
      yield* seed
      // Credits: page 1 was rendered after its plain fetch (11), page 3 plain (1), page 6 two days ago.
      const sql = yield* SqlClient.SqlClient
      yield* sql`
        UPDATE pages p SET credits_spent = v.credits, contact_count = v.contacts
        FROM (VALUES (1, 11, 3), (2, 0, 1), (3, 1, 2), (6, 10, 1)) AS v (n, credits, contacts)
        WHERE p.url = 'https://stats.example/' || v.n`
      yield* sql`INSERT INTO credits_daily (day, credits) VALUES ((now() AT TIME ZONE 'UTC')::date, 12)`
      const body = yield* Effect.flatMap(apiClient, (api) => api.stats.get())
      expect(body.by_curation_status).toEqual({ New: 1, Selected: 7, Rejected: 1, Skipped: 0, Archived: 0 })
      expect(body.by_processing_status).toEqual({
        Queued: 1,
        Processing: 0,
        Complete: 5,
        Error: 1,
        Filtered: 0,
        none: 2,
      })
      const day = body.last_24h
      expect(day).toMatchObject({
        pages_complete: 4,
        pages_error: 1,
        contacts: 5,
        success_rate: 0.8,
        latency_seconds: { p50: 25, p95: 38.5 },
      })
      expect(day.hourly).toHaveLength(24)
      expect(day.hourly[0]?.hour).toEqual(day.since)
      expect(day.hourly.map((hour) => hour.contacts)).toEqual([...Array(18).fill(0), 2, 0, 0, 0, 0, 3])
      expect(day.hourly.map((hour) => hour.pages_completed)).toEqual([...Array(18).fill(0), 2, 0, 0, 0, 0, 2])
      expect(body.credits).toEqual({
        today: 12,
        last_hour: { credits: 11, pages: 3, contacts: 4, per_page: 3.667, per_contact: 2.75 },
        last_24h: { credits: 12, pages: 5, contacts: 6, per_page: 2.4, per_contact: 2 },
      })
      expect(body.pipeline).toEqual({
        in_flight: 3,
        effective_concurrency: 7,
        max_concurrency: 10,
        mode: "concurrent",
        fetcher: {
          state: "paused",
          until: new Date("2030-01-01T00:00:00.000Z"),
          reason: "credits exhausted",
        },
      })
    }),
  )

  it.effect("rounds ratios to 3 significant digits and latencies to the millisecond", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // One more Complete (39.1234567 s after its selection) and one more Error: 5 of 7 succeeded.
      yield* sql`
        INSERT INTO pages (domain_id, url, page_curation_status, page_processing_status, selected_at, processed_at)
        SELECT d.id, 'https://stats.example/' || v.n, 'Selected', v.processing::page_processing_status,
               date_trunc('hour', now()) - make_interval(secs => v.latency), date_trunc('hour', now())
        FROM domains d, (VALUES (10, 'Complete', 39.1234567), (11, 'Error', 1)) AS v (n, processing, latency)`
      const body = yield* Effect.flatMap(apiClient, (api) => api.stats.get())
      expect(body.last_24h).toMatchObject({
        success_rate: 0.714,
        latency_seconds: { p50: 30, p95: 39.825 },
      })
    }),
  )

  it.effect("POST /api/v3/scheduler/trigger wakes the worker", () =>
    Effect.gen(function* () {
      const before = yield* triggerCount
      const answer = yield* Effect.flatMap(apiClient, (api) => api.scheduler.trigger())
      expect(answer).toEqual({ triggered: true })
      expect(yield* triggerCount).toBe(before + 1)
    }),
  )
})
