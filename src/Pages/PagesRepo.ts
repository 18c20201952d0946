import { SqlClient } from "@effect/sql"
import { Data, Effect } from "effect"
import type { Extraction } from "../Domain/Contact.js"

/**
 * The page lifecycle in SQL. A claimed page carries a lease (owner + expiry); every later write is
 * fenced on that lease, so a page rescued from a dead worker is never overwritten by it.
 */

export interface ClaimedPage {
  readonly id: string
  readonly url: string
  readonly domain_id: string
  readonly processing_attempts: number
  readonly selected_at: Date | null
}

/** How a page was fetched, why, and what it cost (credits add up over its attempts). */
export interface PageSpend {
  readonly credits: number
  /** plain | rendered | escalated (plain, then rendered) | direct */
  readonly fetchedWith: string
  readonly reason: string
}

export interface Saved {
  readonly emails: number
  readonly phones: number
  readonly socials: number
}

/** The page's lease was taken over (rescued, re-selected): this worker's result is dropped. */
export class LeaseLost extends Data.TaggedError("LeaseLost")<{ readonly pageId: string }> {}

/** Postgres text cannot hold NUL (the statement is refused): every text a page writes goes through here. */
const storable = (text: string) => text.replaceAll("\u0000", "")

export class PagesRepo extends Effect.Service<PagesRepo>()("Pages/PagesRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /** Moves up to `limit` queued pages to Processing under this owner's lease, oldest selection first. */
    const claim = (owner: string, limit: number, leaseSeconds: number) =>
      sql<ClaimedPage>`
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
        FROM due WHERE p.id = due.id
        RETURNING p.id, p.url, p.domain_id, p.processing_attempts, p.selected_at`.pipe(
        Effect.withSpan("PagesRepo.claim", { attributes: { limit } }),
      )

    /** Extends the leases this owner still holds; returns how many it still holds. */
    const renew = (owner: string, ids: ReadonlyArray<string>, leaseSeconds: number) =>
      sql<{ count: number }>`
        WITH renewed AS (
          UPDATE pages SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
          WHERE id = ANY(${ids}::uuid[]) AND lease_owner = ${owner} AND page_processing_status = 'Processing'
          RETURNING 1
        ) SELECT count(*)::int AS count FROM renewed`.pipe(Effect.map(([row]) => row?.count ?? 0))

    const spent = (spend: PageSpend) =>
      sql`credits_spent = credits_spent + ${spend.credits}, fetched_with = ${spend.fetchedWith},
        render_reason = ${storable(spend.reason)}`

    const fence = (page: ClaimedPage, owner: string) =>
      sql`id = ${page.id} AND lease_owner = ${owner} AND page_processing_status = 'Processing'`

    /**
     * Contacts, social profiles and `Complete` in one short transaction; duplicates are skipped.
     * Rows go in as one array per column (`unnest`), so no page can pass Postgres's 65,535 parameters.
     */
    const complete = (
      page: ClaimedPage,
      owner: string,
      extraction: Extraction,
      dropped: number,
      spend: PageSpend,
    ) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const found = extraction.emails.length + extraction.phones.length
            const updated = yield* sql`
              UPDATE pages SET page_processing_status = 'Complete', page_processing_error = NULL,
                contact_count = ${found}, contacts_dropped = ${dropped}, processed_at = now(),
                business_name = ${extraction.businessName === undefined ? null : storable(extraction.businessName)}, lease_owner = NULL, lease_expires_at = NULL,
                ${spent(spend)}, updated_at = now()
              WHERE ${fence(page, owner)}
              RETURNING id`
            if (updated.length === 0) return yield* new LeaseLost({ pageId: page.id })
            const contacts = [
              ...extraction.emails.map(({ value, type, source }) => ({
                email: storable(value),
                email_type: type,
                phone: null,
                phone_type: null,
                source: storable(source),
              })),
              ...extraction.phones.map(({ value, type, source }) => ({
                email: null,
                email_type: null,
                phone: storable(value),
                phone_type: type,
                source: storable(source),
              })),
            ]
            const inserted =
              contacts.length === 0
                ? []
                : yield* sql<{ email: string | null }>`
                    INSERT INTO contacts (page_id, domain_id, email, email_type, phone, phone_type, source)
                    SELECT ${page.id}::uuid, ${page.domain_id}::uuid, c.* FROM unnest(
                      ${contacts.map((row) => row.email)}::text[],
                      ${contacts.map((row) => row.email_type)}::contact_email_type[],
                      ${contacts.map((row) => row.phone)}::text[],
                      ${contacts.map((row) => row.phone_type)}::contact_phone_type[],
                      ${contacts.map((row) => row.source)}::text[]
                    ) AS c(email, email_type, phone, phone_type, source)
                    ON CONFLICT DO NOTHING RETURNING email`
            const { socials } = extraction
            const insertedSocials =
              socials.length === 0
                ? []
                : yield* sql`
                    INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
                    SELECT ${page.id}::uuid, ${page.domain_id}::uuid, s.* FROM unnest(
                      ${socials.map((social) => storable(social.platform))}::text[],
                      ${socials.map((social) => storable(social.url))}::text[],
                      ${socials.map((social) => storable(social.handle))}::text[]
                    ) AS s(platform, url, handle)
                    ON CONFLICT DO NOTHING RETURNING id`
            const emails = inserted.filter((row) => row.email !== null).length
            return {
              emails,
              phones: inserted.length - emails,
              socials: insertedSocials.length,
            } satisfies Saved
          }),
        )
        .pipe(Effect.withSpan("PagesRepo.complete", { attributes: { "page.id": page.id } }))

    /** Final failure: `Error` with the error's tag and message. */
    const fail = (page: ClaimedPage, owner: string, error: string, spend: PageSpend) =>
      sql`
        UPDATE pages SET page_processing_status = 'Error', page_processing_error = ${storable(error)},
          processed_at = now(), ${spent(spend)}, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE ${fence(page, owner)}`.pipe(Effect.asVoid, Effect.withSpan("PagesRepo.fail"))

    /** Back to `Queued` without spending the attempt (credits paused, shutdown); returns how many went. */
    const release = (pages: ReadonlyArray<ClaimedPage>, owner: string, credits = 0) =>
      pages.length === 0
        ? Effect.succeed(0)
        : sql<{ count: number }>`
            WITH released AS (
              UPDATE pages SET page_processing_status = 'Queued',
                processing_attempts = GREATEST(processing_attempts - 1, 0),
                credits_spent = credits_spent + ${credits},
                lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
              WHERE id = ANY(${pages.map((page) => page.id)}::uuid[]) AND lease_owner = ${owner}
                AND page_processing_status = 'Processing'
              RETURNING 1
            ) SELECT count(*)::int AS count FROM released`.pipe(
            Effect.map(([row]) => row?.count ?? 0),
            Effect.withSpan("PagesRepo.release"),
          )

    /**
     * Pages whose lease expired (their worker died) go back to the queue, or to `Error` once their
     * attempts are spent. The status and expiry are re-checked under the row lock, so a page that
     * completed meanwhile is left alone.
     */
    const rescue = (maxAttempts: number) =>
      sql<{ id: string; page_processing_status: string }>`
        UPDATE pages SET
          page_processing_status = CASE WHEN processing_attempts >= ${maxAttempts}
            THEN 'Error'::page_processing_status ELSE 'Queued'::page_processing_status END,
          page_processing_error = CASE WHEN processing_attempts >= ${maxAttempts}
            THEN 'LeaseExpired: the worker stopped renewing its lease ' || processing_attempts || ' times'
            ELSE page_processing_error END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE page_processing_status = 'Processing' AND lease_expires_at < now()
        RETURNING id, page_processing_status`.pipe(Effect.withSpan("PagesRepo.rescue"))

    /** Whether any page is queued (due now) or still leased: `wf7 drain` stops when neither. */
    const pending = sql<{ queued: number; processing: number }>`
      SELECT (count(*) FILTER (WHERE page_processing_status = 'Queued'))::int AS queued,
             (count(*) FILTER (WHERE page_processing_status = 'Processing'))::int AS processing
      FROM pages WHERE page_processing_status IN ('Queued', 'Processing')`.pipe(
      Effect.map(([row]) => ({ queued: row?.queued ?? 0, processing: row?.processing ?? 0 })),
    )

    return { claim, renew, complete, fail, release, rescue, pending } as const
  }),
}) {}
