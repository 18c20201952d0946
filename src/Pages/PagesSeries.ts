import type { SqlClient } from "@effect/sql"
import { Schema } from "effect"
import { decodeRows } from "./Rows.js"

/**
 * Activity in equal time buckets up to now, for the console's charts: pages that ended `Complete`
 * and `Error` (by processed_at, which an index keeps) and contacts found, empty buckets included.
 */

const Count = Schema.Int.pipe(Schema.nonNegative())

export const Bucket = Schema.Struct({
  at: Schema.Date,
  pages_completed: Count,
  errors: Count,
  contacts: Count,
}).annotations({ identifier: "Bucket", description: "Activity from `at` to the next bucket's start" })

/** `count` buckets of `minutes` each, oldest first; the last one holds now. */
export const activitySeries = (sql: SqlClient.SqlClient, minutes: number, count: number) => {
  const width = sql`make_interval(mins => ${minutes})`
  const bucket = (column: string) => sql`date_bin(${width}, ${sql(column)}, timestamptz 'epoch')`
  return decodeRows(
    Schema.typeSchema(Bucket),
    sql`
      WITH bounds AS (
        SELECT date_bin(${width}, now(), timestamptz 'epoch') - ${width} * (${count} - 1) AS since
      ), buckets AS (
        SELECT generate_series(since, since + ${width} * (${count} - 1), ${width}) AS at FROM bounds
      ), created AS (
        SELECT ${bucket("created_at")} AS at, count(*)::int AS contacts FROM contacts
        WHERE created_at >= (SELECT since FROM bounds) GROUP BY 1
      ), processed AS (
        SELECT ${bucket("processed_at")} AS at,
               (count(*) FILTER (WHERE page_processing_status = 'Complete'))::int AS complete,
               (count(*) FILTER (WHERE page_processing_status = 'Error'))::int AS errors
        FROM pages WHERE processed_at >= (SELECT since FROM bounds) GROUP BY 1
      )
      SELECT buckets.at, coalesce(processed.complete, 0) AS pages_completed,
             coalesce(processed.errors, 0) AS errors, coalesce(created.contacts, 0) AS contacts
      FROM buckets LEFT JOIN processed USING (at) LEFT JOIN created USING (at)
      ORDER BY buckets.at`,
  )
}
