import { SqlClient, SqlSchema } from "@effect/sql"
import { Data, Effect, Schema } from "effect"
import { ClaimedPage, PageId, ProcessingStatus } from "../Domain/Page.js"
import { decodeRow, rowsAreOurs } from "./Rows.js"

/**
 * The page lifecycle in SQL. A claimed page carries a lease (owner + expiry); every later write is
 * fenced on that lease, so a page rescued from a dead worker is never overwritten by it.
 */

/** How a page was fetched, why, and what it cost (credits add up over its attempts). */
export interface PageSpend {
  readonly credits: number
  /** plain | rendered | escalated (plain, then rendered) | direct */
  readonly fetchedWith: string
  readonly reason: string
}

/** The page's lease was taken over (rescued, re-selected): this worker's result is dropped. */
export class LeaseLost extends Data.TaggedError("LeaseLost")<{ readonly pageId: string }> {}

/** Postgres text cannot hold NUL (the statement is refused): every text a page writes goes through here. */
export const storable = (text: string) => text.replaceAll("\u0000", "")

const Claim = Schema.Struct({ owner: Schema.String, limit: Schema.Number, leaseSeconds: Schema.Number })
const Renewal = Schema.Struct({
  owner: Schema.String,
  ids: Schema.Array(Schema.String),
  leaseSeconds: Schema.Number,
})
const Release = Schema.Struct({
  ids: Schema.Array(PageId),
  owners: Schema.Array(Schema.String),
  credits: Schema.Number,
})
const Count = Schema.Struct({ count: Schema.NonNegativeInt })
const Rescued = Schema.Struct({ id: PageId, page_processing_status: ProcessingStatus })
const Pending = Schema.Struct({ queued: Schema.NonNegativeInt, processing: Schema.NonNegativeInt })

export class PagesRepo extends Effect.Service<PagesRepo>()("Pages/PagesRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const claimed = SqlSchema.findAll({
      Request: Claim,
      Result: ClaimedPage,
      execute: ({ owner, limit, leaseSeconds }) => sql`
        WITH due AS (
          SELECT id FROM pages
          WHERE page_processing_status = 'Queued'
          ORDER BY selected_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE pages p SET
          page_processing_status = 'Processing',
          lease_owner = ${owner},
          lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
          processing_attempts = p.processing_attempts + 1,
          updated_at = now()
        FROM due, domains d WHERE p.id = due.id AND d.id = p.domain_id
        RETURNING p.id, p.url, p.domain_id, p.processing_attempts, p.selected_at, p.lease_owner,
          d.render_first`,
    })

    const claim = (owner: string, limit: number, leaseSeconds: number) =>
      claimed({ owner, limit, leaseSeconds }).pipe(
        rowsAreOurs,
        Effect.withSpan("PagesRepo.claim", { attributes: { limit } }),
      )

    const renewed = SqlSchema.single({
      Request: Renewal,
      Result: Count,
      execute: ({ owner, ids, leaseSeconds }) => sql`
        WITH renewed AS (
          UPDATE pages SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
          WHERE id = ANY(${ids}::uuid[]) AND lease_owner = ${owner} AND page_processing_status = 'Processing'
          RETURNING 1
        ) SELECT count(*)::int AS count FROM renewed`,
    })

    /** Extends the leases this owner still holds; returns how many it still holds. */
    const renew = (owner: string, ids: ReadonlyArray<string>, leaseSeconds: number) =>
      renewed({ owner, ids, leaseSeconds }).pipe(
        Effect.map(({ count }) => count),
        rowsAreOurs,
      )

    const released = SqlSchema.single({
      Request: Release,
      Result: Count,
      execute: ({ ids, owners, credits }) => sql`
        WITH released AS (
          UPDATE pages SET page_processing_status = 'Queued',
            processing_attempts = GREATEST(processing_attempts - 1, 0),
            credits_spent = credits_spent + ${credits},
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
          FROM unnest(${ids}::uuid[], ${owners}::text[]) AS held(id, owner)
          WHERE pages.id = held.id AND lease_owner = held.owner AND page_processing_status = 'Processing'
          RETURNING 1
        ) SELECT count(*)::int AS count FROM released`,
    })

    /** Back to `Queued` without spending the attempt (credits paused, shutdown); returns how many went. */
    const release = (pages: ReadonlyArray<ClaimedPage>, credits = 0) =>
      pages.length === 0
        ? Effect.succeed(0)
        : released({
            ids: pages.map((page) => page.id),
            owners: pages.map((page) => page.lease_owner),
            credits,
          }).pipe(
            Effect.map(({ count }) => count),
            rowsAreOurs,
            Effect.withSpan("PagesRepo.release"),
          )

    /**
     * Expired leases go back to the queue, or to `Error` once their attempts are spent; re-checked under
     * the row lock, so a page completed meanwhile is left alone.
     */
    const rescued = SqlSchema.findAll({
      Request: Schema.Number,
      Result: Rescued,
      execute: (maxAttempts) => sql`
        UPDATE pages SET
          page_processing_status = CASE WHEN processing_attempts >= ${maxAttempts}
            THEN 'Error'::page_processing_status ELSE 'Queued'::page_processing_status END,
          page_processing_error = CASE WHEN processing_attempts >= ${maxAttempts}
            THEN 'LeaseExpired: the worker stopped renewing its lease ' || processing_attempts || ' times'
            ELSE page_processing_error END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE page_processing_status = 'Processing' AND lease_expires_at < now()
        RETURNING id, page_processing_status`,
    })

    const rescue = (maxAttempts: number) =>
      rescued(maxAttempts).pipe(rowsAreOurs, Effect.withSpan("PagesRepo.rescue"))

    /** Whether any page is queued (due now) or still leased: `wf7 drain` stops when neither. */
    const pending = decodeRow(
      Pending,
      sql`
        SELECT (count(*) FILTER (WHERE page_processing_status = 'Queued'))::int AS queued,
               (count(*) FILTER (WHERE page_processing_status = 'Processing'))::int AS processing
        FROM pages WHERE page_processing_status IN ('Queued', 'Processing')`,
    )

    return { claim, renew, release, rescue, pending } as const
  }),
}) {}
