import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { PageId } from "../Domain/Page.js"
import { creditStats } from "./CreditStats.js"
import { hourlyThroughput } from "./PagesStats.js"
import { rowsAreOurs } from "./Rows.js"

/**
 * The seed guide's diagnostic queries, done properly, for `wf7 diagnose`: baseline, connections against
 * `max_connections`, hourly throughput, pages stuck past their lease, and credits per page and contact.
 */

/** Above this share of `max_connections` the seed's rollout plan says to back off. */
export const CONNECTION_WARNING_SHARE = 0.8

/** How many stuck pages are listed; `count` has them all. */
const STUCK_LISTED = 50

const Count = Schema.Int.pipe(Schema.nonNegative())

const Totals = Schema.Struct({
  totalContacts: Count,
  latestContact: Schema.NullOr(Schema.DateFromSelf),
  queuedPages: Count,
})

const StatusCount = Schema.Struct({ status: Schema.String, pages: Count })

export type Baseline = typeof Totals.Type & { readonly pagesByStatus: ReadonlyArray<typeof StatusCount.Type> }

const ConnectionState = Schema.Struct({
  state: Schema.String,
  connections: Count,
  thisDatabase: Count,
  wf7: Count,
})
type ConnectionState = typeof ConnectionState.Type

export interface Connections {
  readonly maxConnections: number
  readonly total: number
  readonly share: number
  readonly warning: boolean
  readonly byState: ReadonlyArray<ConnectionState>
}

const StuckPage = Schema.Struct({
  id: PageId,
  url: Schema.String,
  owner: Schema.NullOr(Schema.String),
  leaseExpiredAt: Schema.NullOr(Schema.DateFromSelf),
  overdueSeconds: Schema.NullOr(Schema.Int),
  attempts: Count,
})

const StuckRow = Schema.Struct({ ...StuckPage.fields, total: Count })

export interface Stuck {
  readonly count: number
  readonly pages: ReadonlyArray<typeof StuckPage.Type>
}

export const connectionsOf = (
  maxConnections: number,
  byState: ReadonlyArray<ConnectionState>,
): Connections => {
  const total = byState.reduce((sum, row) => sum + row.connections, 0)
  const share = maxConnections > 0 ? total / maxConnections : 0
  return { maxConnections, total, share, warning: share > CONNECTION_WARNING_SHARE, byState }
}

export class Diagnostics extends Effect.Service<Diagnostics>()("Pages/Diagnostics", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const totals = SqlSchema.single({
      Request: Schema.Void,
      Result: Totals,
      execute: () => sql`
        SELECT (SELECT count(*)::int FROM contacts) AS "totalContacts",
               (SELECT max(created_at) FROM contacts) AS "latestContact",
               (SELECT count(*)::int FROM pages
                 WHERE page_curation_status = 'Selected' AND page_processing_status = 'Queued') AS "queuedPages"`,
    })
    const pagesByStatus = SqlSchema.findAll({
      Request: Schema.Void,
      Result: StatusCount,
      execute: () => sql`
        SELECT coalesce(page_processing_status::text, 'never queued') AS status, count(*)::int AS pages
        FROM pages GROUP BY 1 ORDER BY 1`,
    })
    const baseline = Effect.zipWith(totals(), pagesByStatus(), (row, statuses) => ({
      ...row,
      pagesByStatus: statuses,
    })).pipe(rowsAreOurs, Effect.withSpan("Diagnostics.baseline"))

    const maxConnections = SqlSchema.single({
      Request: Schema.Void,
      Result: Schema.Struct({ max: Count }),
      execute: () => sql`SELECT current_setting('max_connections')::int AS max`,
    })
    const connectionStates = SqlSchema.findAll({
      Request: Schema.Void,
      Result: ConnectionState,
      execute: () => sql`
        SELECT coalesce(state, 'unknown') AS state, count(*)::int AS connections,
               (count(*) FILTER (WHERE datname = current_database()))::int AS "thisDatabase",
               (count(*) FILTER (WHERE application_name = 'wf7'))::int AS wf7
        FROM pg_stat_activity WHERE backend_type = 'client backend'
        GROUP BY 1 ORDER BY 2 DESC, 1`,
    })
    /** Client connections of the whole server (the limit is the server's), by state. */
    const connections = Effect.zipWith(maxConnections(), connectionStates(), (limit, byState) =>
      connectionsOf(limit.max, byState),
    ).pipe(rowsAreOurs, Effect.withSpan("Diagnostics.connections"))

    const throughput = hourlyThroughput(sql).pipe(
      Effect.map((hours) => hours.toReversed()),
      Effect.withSpan("Diagnostics.throughput"),
    )

    const stuckPages = SqlSchema.findAll({
      Request: Schema.Void,
      Result: StuckRow,
      execute: () => sql`
        SELECT id, url, lease_owner AS owner, lease_expires_at AS "leaseExpiredAt",
               floor(extract(epoch FROM now() - lease_expires_at))::int AS "overdueSeconds",
               processing_attempts AS attempts, count(*) OVER ()::int AS total
        FROM pages
        WHERE page_processing_status = 'Processing' AND (lease_expires_at IS NULL OR lease_expires_at < now())
        ORDER BY lease_expires_at NULLS FIRST, id
        LIMIT ${STUCK_LISTED}`,
    })
    /** Pages in `Processing` whose lease has run out: no live worker holds them. */
    const stuck = stuckPages().pipe(
      Effect.map((pages): Stuck => ({
        count: pages[0]?.total ?? 0,
        pages: pages.map(({ total: _, ...page }) => page),
      })),
      rowsAreOurs,
      Effect.withSpan("Diagnostics.stuck"),
    )

    const credits = creditStats(sql).pipe(Effect.withSpan("Diagnostics.credits"))

    return { baseline, connections, throughput, stuck, credits } as const
  }),
}) {}
