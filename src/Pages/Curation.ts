import { SqlClient, type SqlError, type Statement } from "@effect/sql"
import { Array, Effect, Either, Option, Schema } from "effect"
import type { CurationStatus, PageFilter, PageId, StatusChange } from "../Domain/Page.js"
import { canonicalDomain, normalizeUrl } from "../Domain/Url.js"
import { decodeRow } from "./Rows.js"

/**
 * What curators do to pages: import URLs, set the curation status of a page, a list or a filter's match.
 * Each change applies the dual-status rule (SPEC §3) in one statement: 10,000 pages are one round trip.
 */

export interface InvalidUrl {
  readonly index: number
  readonly url: string
  readonly reason: string
}

export interface ImportResult {
  readonly created: number
  readonly existing: number
  readonly invalid: ReadonlyArray<InvalidUrl>
  readonly queued: number
}

const CHUNK = 1000
/** No cap: more pages than any table holds. */
const UNCAPPED = 2 ** 31 - 2

const Count = Schema.NonNegativeInt
const Changed = Schema.Struct({ matching: Count, updated: Count, queued: Count })

export const pageFilterClause = (sql: SqlClient.SqlClient, filter: PageFilter): Statement.Fragment =>
  sql.and([
    ...(filter.page_curation_status === undefined
      ? []
      : [sql`page_curation_status = ${filter.page_curation_status}::page_curation_status`]),
    ...(filter.page_processing_status === undefined
      ? []
      : [sql`page_processing_status = ${filter.page_processing_status}::page_processing_status`]),
    ...(filter.page_type === undefined ? [] : [sql`page_type = ${filter.page_type}`]),
    // strpos, not LIKE: the curator's text is data, `%` and `_` included.
    ...(filter.url_contains === undefined || filter.url_contains === ""
      ? []
      : [sql`strpos(lower(url), lower(${filter.url_contains})) > 0`]),
    ...(filter.domain === undefined || filter.domain === ""
      ? []
      : [sql`domain_id = (SELECT id FROM domains WHERE domain = ${canonicalDomain(filter.domain)})`]),
  ])

export class Curation extends Effect.Service<Curation>()("Pages/Curation", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    // Selected queues the page afresh; Rejected, Skipped and Archived take a still-queued page out.
    // The matching rows are locked and counted in the same statement, so a cap holds exactly.
    const update = (where: Statement.Fragment, status: CurationStatus, cap = UNCAPPED) => {
      const selected = status === "Selected"
      const dequeues = status === "Rejected" || status === "Skipped" || status === "Archived"
      return decodeRow(
        Changed,
        sql`
          WITH matching AS (
            SELECT id FROM pages WHERE ${where} LIMIT ${cap + 1} FOR UPDATE
          ), changed AS (
            UPDATE pages SET
              page_curation_status = ${status}::page_curation_status,
              page_processing_status = CASE
                WHEN ${selected} THEN 'Queued'::page_processing_status
                WHEN ${dequeues} AND page_processing_status = 'Queued' THEN NULL
                ELSE page_processing_status END,
              page_processing_error = CASE WHEN ${selected} THEN NULL ELSE page_processing_error END,
              processing_attempts = CASE WHEN ${selected} THEN 0 ELSE processing_attempts END,
              selected_at = CASE WHEN ${selected} THEN now() ELSE selected_at END,
              lease_owner = CASE WHEN ${selected} THEN NULL ELSE lease_owner END,
              lease_expires_at = CASE WHEN ${selected} THEN NULL ELSE lease_expires_at END,
              updated_at = now()
            WHERE id IN (SELECT id FROM matching) AND (SELECT count(*) FROM matching) <= ${cap}
            RETURNING page_processing_status
          )
          SELECT (SELECT count(*)::int FROM matching) AS matching,
                 count(*)::int AS updated,
                 (count(*) FILTER (WHERE page_processing_status = 'Queued'))::int AS queued
          FROM changed`,
      ).pipe(
        Effect.map(({ matching, updated, queued }) =>
          matching > cap ? Option.none<StatusChange>() : Option.some<StatusChange>({ updated, queued }),
        ),
      )
    }

    const uncapped = (change: Effect.Effect<Option.Option<StatusChange>, SqlError.SqlError>) =>
      Effect.map(
        change,
        Option.getOrElse(() => ({ updated: 0, queued: 0 })),
      )

    const setStatus = Effect.fn("Curation.setStatus")(function* (
      ids: ReadonlyArray<PageId>,
      status: CurationStatus,
    ) {
      if (ids.length === 0) return { updated: 0, queued: 0 }
      return yield* uncapped(update(sql`id = ANY(${ids}::uuid[])`, status))
    }, Effect.orDie)

    const setStatusWhere = Effect.fn("Curation.setStatusWhere")(function* (
      filter: PageFilter,
      status: CurationStatus,
    ) {
      return yield* uncapped(update(pageFilterClause(sql, filter), status))
    }, Effect.orDie)

    /** Like `setStatusWhere`, but changes nothing (None) when more than `cap` pages match. */
    const setStatusWhereAtMost = Effect.fn("Curation.setStatusWhereAtMost")(function* (
      filter: PageFilter,
      status: CurationStatus,
      cap: number,
    ) {
      return yield* update(pageFilterClause(sql, filter), status, cap)
    }, Effect.orDie)

    const countWhere = Effect.fn("Curation.countWhere")(function* (filter: PageFilter) {
      const { count } = yield* decodeRow(
        Schema.Struct({ count: Count }),
        sql`SELECT count(*)::int AS count FROM pages WHERE ${pageFilterClause(sql, filter)}`,
      )
      return count
    }, Effect.orDie)

    const importChunk = (pages: ReadonlyArray<{ url: string; domain: string }>, select: boolean) =>
      sql.withTransaction(
        Effect.gen(function* () {
          const urls = pages.map((page) => page.url)
          const domains = pages.map((page) => page.domain)
          yield* sql`
            INSERT INTO domains (domain) SELECT DISTINCT unnest(${domains}::text[])
            ON CONFLICT (domain) DO NOTHING`
          const created = yield* sql`
            INSERT INTO pages (domain_id, url)
            SELECT d.id, u.url FROM unnest(${urls}::text[], ${domains}::text[]) AS u (url, domain)
            JOIN domains d ON d.domain = u.domain
            ON CONFLICT (url) DO NOTHING
            RETURNING id`
          const change = select
            ? yield* uncapped(update(sql`url = ANY(${urls}::text[])`, "Selected"))
            : { queued: 0 }
          return { created: created.length, existing: pages.length - created.length, queued: change.queued }
        }),
      )

    const importUrls = Effect.fn("Curation.importUrls")(function* (
      lines: ReadonlyArray<string>,
      options: { readonly select: boolean },
    ) {
      const invalid: Array<InvalidUrl> = []
      const unique = new Map<string, { url: string; domain: string }>()
      lines.forEach((line, index) =>
        Either.match(normalizeUrl(line), {
          onLeft: (reason) => invalid.push({ index, url: line, reason }),
          onRight: (page) => void unique.set(page.url, page),
        }),
      )
      const results = yield* Effect.forEach(Array.chunksOf([...unique.values()], CHUNK), (chunk) =>
        importChunk(chunk, options.select),
      )
      const created = results.reduce((sum, result) => sum + result.created, 0)
      const queued = results.reduce((sum, result) => sum + result.queued, 0)
      const valid = lines.length - invalid.length
      return { created, existing: valid - created, invalid, queued } satisfies ImportResult
    }, Effect.orDie)

    return { importUrls, setStatus, setStatusWhere, setStatusWhereAtMost, countWhere } as const
  }),
}) {}
