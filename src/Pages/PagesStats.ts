import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { CurationStatus, ProcessingStatus } from "../Domain/Page.js"
import { CreditStats, creditStats } from "./CreditStats.js"
import { decodeRows } from "./Rows.js"

/**
 * The queue and the last 24 hours from the database: pages by status, hourly activity, success rate and
 * latency. The window is the current hour and the 23 before, for buckets and totals alike, so they add up.
 */

const Count = Schema.Int.pipe(Schema.nonNegative())
const Seconds = Schema.NullOr(Schema.Number)

export const ProcessingStatusKey = Schema.Union(ProcessingStatus, Schema.Literal("none"))

const HourStats = Schema.Struct({ hour: Schema.Date, contacts: Count, pages_completed: Count })

export const PageStats = Schema.Struct({
  by_curation_status: Schema.Record({ key: CurationStatus, value: Count }),
  /** `none`: pages never queued. */
  by_processing_status: Schema.Record({ key: ProcessingStatusKey, value: Count }),
  last_24h: Schema.Struct({
    since: Schema.Date,
    pages_complete: Count,
    pages_error: Count,
    contacts: Count,
    /** Complete ÷ (Complete + Error) over pages finished in the window; null when none finished. */
    success_rate: Schema.NullOr(Schema.Number),
    latency_seconds: Schema.Struct({ p50: Seconds, p95: Seconds }),
    hourly: Schema.Array(HourStats),
  }),
  credits: CreditStats,
}).annotations({ identifier: "PageStats" })
export type PageStats = typeof PageStats.Type

const StatusCount = Schema.Union(
  Schema.Struct({ kind: Schema.Literal("curation"), status: CurationStatus, count: Count }),
  Schema.Struct({ kind: Schema.Literal("processing"), status: ProcessingStatusKey, count: Count }),
)

const WindowRow = Schema.Struct({
  since: Schema.DateFromSelf,
  pages_complete: Count,
  pages_error: Count,
  p50: Seconds,
  p95: Seconds,
})

const Hour = Schema.Struct({ hour: Schema.DateFromSelf, contacts: Count, complete: Count, error: Count })
export type Hour = typeof Hour.Type

export const hourlyThroughput = (sql: SqlClient.SqlClient) =>
  decodeRows(
    Hour,
    sql`
      WITH hours AS (
        SELECT generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()),
                               interval '1 hour') AS hour
      ), created AS (
        SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS contacts FROM contacts
        WHERE created_at >= date_trunc('hour', now()) - interval '23 hours' GROUP BY 1
      ), processed AS (
        SELECT date_trunc('hour', processed_at) AS hour,
               (count(*) FILTER (WHERE page_processing_status = 'Complete'))::int AS complete,
               (count(*) FILTER (WHERE page_processing_status = 'Error'))::int AS error
        FROM pages WHERE processed_at >= date_trunc('hour', now()) - interval '23 hours' GROUP BY 1
      )
      SELECT hours.hour, coalesce(created.contacts, 0) AS contacts,
             coalesce(processed.complete, 0) AS complete, coalesce(processed.error, 0) AS error
      FROM hours LEFT JOIN created USING (hour) LEFT JOIN processed USING (hour)
      ORDER BY hours.hour`,
  )

export class PagesStats extends Effect.Service<PagesStats>()("Pages/PagesStats", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const windowStart = sql`date_trunc('hour', now()) - interval '23 hours'`

    const statusCounts = SqlSchema.findAll({
      Request: Schema.Void,
      Result: StatusCount,
      execute: () => sql`
        SELECT 'curation' AS kind, page_curation_status::text AS status, count(*)::int AS count
        FROM pages GROUP BY page_curation_status
        UNION ALL
        SELECT 'processing', coalesce(page_processing_status::text, 'none'), count(*)::int
        FROM pages GROUP BY page_processing_status`,
    })

    // A failed page may carry no processed_at; when it was last touched is when it failed.
    const window = SqlSchema.single({
      Request: Schema.Void,
      Result: WindowRow,
      execute: () => sql`
        SELECT ${windowStart} AS since,
          count(*) FILTER (WHERE page_processing_status = 'Complete')::int AS pages_complete,
          count(*) FILTER (WHERE page_processing_status = 'Error')::int AS pages_error,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - selected_at)::float8)
            FILTER (WHERE page_processing_status = 'Complete') AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - selected_at)::float8)
            FILTER (WHERE page_processing_status = 'Complete') AS p95
        FROM pages
        WHERE page_processing_status IN ('Complete', 'Error')
          AND coalesce(processed_at, updated_at) >= ${windowStart}`,
    })

    const get = Effect.fn("PagesStats.get")(function* () {
      // One transaction: every statement sees the same now(), so the window is the same for all.
      const [counts, hours, totals, credits] = yield* sql.withTransaction(
        Effect.all([statusCounts(), hourlyThroughput(sql), window(), creditStats(sql)]),
      )
      const by_curation_status: Record<CurationStatus, number> = {
        New: 0,
        Selected: 0,
        Rejected: 0,
        Skipped: 0,
        Archived: 0,
      }
      const by_processing_status: Record<typeof ProcessingStatusKey.Type, number> = {
        Queued: 0,
        Processing: 0,
        Complete: 0,
        Error: 0,
        Filtered: 0,
        none: 0,
      }
      for (const row of counts) {
        if (row.kind === "curation") by_curation_status[row.status] = row.count
        else by_processing_status[row.status] = row.count
      }
      const finished = totals.pages_complete + totals.pages_error
      return {
        by_curation_status,
        by_processing_status,
        last_24h: {
          since: totals.since,
          pages_complete: totals.pages_complete,
          pages_error: totals.pages_error,
          contacts: hours.reduce((sum, hour) => sum + hour.contacts, 0),
          success_rate: finished === 0 ? null : totals.pages_complete / finished,
          latency_seconds: { p50: totals.p50, p95: totals.p95 },
          hourly: hours.map(({ hour, contacts, complete }) => ({
            hour,
            contacts,
            pages_completed: complete,
          })),
        },
        credits,
      } satisfies PageStats
    }, Effect.orDie)

    return { get } as const
  }),
}) {}
