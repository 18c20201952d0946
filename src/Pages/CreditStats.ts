import { type SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsAreOurs } from "./Rows.js"

/**
 * What the contacts cost: ScraperAPI credits per page and per contact over the pages finished in
 * the last hour and the last 24 hours, and the current UTC day's spend (what the daily budget counts).
 */

const Count = Schema.Int.pipe(Schema.nonNegative())

const CreditWindow = Schema.Struct({
  credits: Count,
  pages: Count,
  contacts: Count,
  /** Null when no page (no contact) finished in the window. */
  per_page: Schema.NullOr(Schema.Number),
  per_contact: Schema.NullOr(Schema.Number),
})

export const CreditStats = Schema.Struct({
  today: Count,
  last_hour: CreditWindow,
  last_24h: CreditWindow,
}).annotations({ identifier: "CreditStats" })
export type CreditStats = typeof CreditStats.Type

const WindowRow = Schema.Struct({
  name: Schema.Literal("last_hour", "last_24h"),
  credits: Count,
  pages: Count,
  contacts: Count,
  today: Count,
})

const ratio = (credits: number, count: number) => (count === 0 ? null : Number((credits / count).toFixed(3)))

export const creditStats = (sql: SqlClient.SqlClient) =>
  SqlSchema.findAll({
    Request: Schema.Void,
    Result: WindowRow,
    // A failed page may carry no processed_at; when it was last touched is when it failed.
    execute: () => sql`
      SELECT w.name, coalesce(sum(p.credits_spent), 0)::int AS credits, count(p.id)::int AS pages,
             coalesce(sum(p.contact_count), 0)::int AS contacts,
             coalesce((SELECT credits FROM credits_daily WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::int AS today
      FROM (VALUES ('last_hour', interval '1 hour'), ('last_24h', interval '24 hours')) AS w (name, span)
      LEFT JOIN pages p ON p.page_processing_status IN ('Complete', 'Error')
        AND coalesce(p.processed_at, p.updated_at) >= now() - w.span
      GROUP BY w.name`,
  })().pipe(
    rowsAreOurs,
    Effect.map((rows): CreditStats => {
      const window = (name: "last_hour" | "last_24h") => {
        const row = rows.find((candidate) => candidate.name === name)
        const { credits = 0, pages = 0, contacts = 0 } = row ?? {}
        return {
          credits,
          pages,
          contacts,
          per_page: ratio(credits, pages),
          per_contact: ratio(credits, contacts),
        }
      }
      return { today: rows[0]?.today ?? 0, last_hour: window("last_hour"), last_24h: window("last_24h") }
    }),
  )
