import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { creditStats } from "../Pages/CreditStats.js"
import { hourlyThroughput } from "../Pages/PagesStats.js"

/**
 * The seed guide's diagnostic queries, done properly, for `wf7 diagnose`: the baseline (contacts,
 * latest contact, queued pages), database connections against `max_connections`, throughput per
 * hour over the last 24 hours, pages stuck in `Processing` past their lease, and ScraperAPI credits
 * per page and per contact.
 */

/** Above this share of `max_connections` the seed's rollout plan says to back off. */
export const CONNECTION_WARNING_SHARE = 0.8

export interface Baseline {
  readonly totalContacts: number
  readonly latestContact: Date | null
  readonly queuedPages: number
  readonly pagesByStatus: ReadonlyArray<{ readonly status: string; readonly pages: number }>
}

export interface ConnectionState {
  readonly state: string
  readonly connections: number
  readonly thisDatabase: number
  readonly wf7: number
}

export interface Connections {
  readonly maxConnections: number
  readonly total: number
  readonly share: number
  readonly warning: boolean
  readonly byState: ReadonlyArray<ConnectionState>
}

export interface StuckPage {
  readonly id: string
  readonly url: string
  readonly owner: string | null
  readonly leaseExpiredAt: Date | null
  readonly overdueSeconds: number | null
  readonly attempts: number
}

export interface Stuck {
  readonly count: number
  readonly pages: ReadonlyArray<StuckPage>
}

/** How many stuck pages are listed; `count` has them all. */
export const STUCK_LISTED = 50

export const connectionsOf = (
  maxConnections: number,
  byState: ReadonlyArray<ConnectionState>,
): Connections => {
  const total = byState.reduce((sum, row) => sum + row.connections, 0)
  const share = maxConnections > 0 ? total / maxConnections : 0
  return { maxConnections, total, share, warning: share > CONNECTION_WARNING_SHARE, byState }
}

export class Diagnostics extends Effect.Service<Diagnostics>()("Observability/Diagnostics", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const baseline = Effect.gen(function* () {
      const [row] = yield* sql<{ totalContacts: number; latestContact: Date | null; queuedPages: number }>`
        SELECT (SELECT count(*)::int FROM contacts) AS "totalContacts",
               (SELECT max(created_at) FROM contacts) AS "latestContact",
               (SELECT count(*)::int FROM pages
                 WHERE page_curation_status = 'Selected' AND page_processing_status = 'Queued') AS "queuedPages"`
      const pagesByStatus = yield* sql<{ status: string; pages: number }>`
        SELECT coalesce(page_processing_status::text, 'never queued') AS status, count(*)::int AS pages
        FROM pages GROUP BY 1 ORDER BY 1`
      return { ...row!, pagesByStatus } satisfies Baseline
    }).pipe(Effect.withSpan("Diagnostics.baseline"))

    /** Client connections of the whole server (the limit is the server's), by state. */
    const connections = Effect.gen(function* () {
      const [limit] = yield* sql<{ max: number }>`SELECT current_setting('max_connections')::int AS max`
      const byState = yield* sql<ConnectionState>`
        SELECT coalesce(state, 'unknown') AS state, count(*)::int AS connections,
               (count(*) FILTER (WHERE datname = current_database()))::int AS "thisDatabase",
               (count(*) FILTER (WHERE application_name = 'wf7'))::int AS wf7
        FROM pg_stat_activity WHERE backend_type = 'client backend'
        GROUP BY 1 ORDER BY 2 DESC, 1`
      return connectionsOf(limit!.max, byState)
    }).pipe(Effect.withSpan("Diagnostics.connections"))

    /** Every hour of the last 24, newest first, empty hours included. */
    const throughput = hourlyThroughput(sql).pipe(
      Effect.map((hours) => hours.toReversed()),
      Effect.withSpan("Diagnostics.throughput"),
    )

    /** Pages in `Processing` whose lease has run out: no live worker holds them. */
    const stuck = Effect.gen(function* () {
      const pages = yield* sql<StuckPage & { total: number }>`
        SELECT id, url, lease_owner AS owner, lease_expires_at AS "leaseExpiredAt",
               floor(extract(epoch FROM now() - lease_expires_at))::int AS "overdueSeconds",
               processing_attempts AS attempts, count(*) OVER ()::int AS total
        FROM pages
        WHERE page_processing_status = 'Processing' AND (lease_expires_at IS NULL OR lease_expires_at < now())
        ORDER BY lease_expires_at NULLS FIRST, id
        LIMIT ${STUCK_LISTED}`
      return {
        count: pages[0]?.total ?? 0,
        pages: pages.map(({ total: _, ...page }) => page),
      } satisfies Stuck
    }).pipe(Effect.withSpan("Diagnostics.stuck"))

    const credits = creditStats(sql).pipe(Effect.withSpan("Diagnostics.credits"))

    return { baseline, connections, throughput, stuck, credits } as const
  }),
}) {}
