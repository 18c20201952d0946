import { SqlClient, type SqlError } from "@effect/sql"
import { Effect, Schema } from "effect"
import type { Extraction } from "../Domain/Contact.js"
import { type ClaimedPage, PageId } from "../Domain/Page.js"
import { storable, type PageSpend } from "./PagesRepo.js"
import { decodeRows } from "./Rows.js"

/**
 * Finished pages saved in groups: one statement a group, rows passed as one array per column
 * (`unnest`), so no group passes Postgres's 65,535 parameters. Every page is still fenced on its own
 * lease: a page rescued or re-selected meanwhile is left alone and reported `LeaseLost`.
 */

/** What to write of a finished page: its contacts (already capped) and `Complete`, or `Error`. */
export type PageResult =
  | { readonly _tag: "Complete"; readonly extraction: Extraction; readonly dropped: number }
  | { readonly _tag: "Error"; readonly error: string }

export interface PageSave {
  readonly page: ClaimedPage
  readonly spend: PageSpend
  readonly result: PageResult
}

export interface Saved {
  readonly emails: number
  readonly phones: number
  readonly socials: number
}

/** How each page of a group was written, in the group's order. */
export type SaveOutcome =
  | { readonly _tag: "Complete"; readonly saved: Saved }
  | { readonly _tag: "Error" }
  | { readonly _tag: "LeaseLost" }

const column = <A>(): Array<A> => []

/** A group's rows, one array per column: pages, then their contacts and profiles. */
const columnsOf = (saves: ReadonlyArray<PageSave>) => {
  const pages = {
    id: column<string>(),
    owner: column<string>(),
    status: column<string>(),
    error: column<string | null>(),
    found: column<number>(),
    dropped: column<number>(),
    businessName: column<string | null>(),
    credits: column<number>(),
    fetchedWith: column<string>(),
    reason: column<string>(),
  }
  const contacts = {
    page: column<string>(),
    email: column<string | null>(),
    emailType: column<string | null>(),
    phone: column<string | null>(),
    phoneType: column<string | null>(),
    source: column<string>(),
  }
  const socials = {
    page: column<string>(),
    platform: column<string>(),
    url: column<string>(),
    handle: column<string>(),
  }
  for (const { page, spend, result } of saves) {
    pages.id.push(page.id)
    pages.owner.push(page.lease_owner)
    pages.status.push(result._tag)
    pages.error.push(result._tag === "Error" ? storable(result.error) : null)
    pages.found.push(result._tag === "Complete" ? found(result.extraction) : 0)
    pages.dropped.push(result._tag === "Complete" ? result.dropped : 0)
    pages.businessName.push(businessName(result))
    pages.credits.push(spend.credits)
    pages.fetchedWith.push(spend.fetchedWith)
    pages.reason.push(storable(spend.reason))
    if (result._tag !== "Complete") continue
    const { emails, phones, socials: profiles } = result.extraction
    for (const { value, type, source } of emails) {
      contacts.page.push(page.id)
      contacts.email.push(storable(value))
      contacts.emailType.push(type)
      contacts.phone.push(null)
      contacts.phoneType.push(null)
      contacts.source.push(storable(source))
    }
    for (const { value, type, source } of phones) {
      contacts.page.push(page.id)
      contacts.email.push(null)
      contacts.emailType.push(null)
      contacts.phone.push(storable(value))
      contacts.phoneType.push(type)
      contacts.source.push(storable(source))
    }
    for (const { platform, url, handle } of profiles) {
      socials.page.push(page.id)
      socials.platform.push(storable(platform))
      socials.url.push(storable(url))
      socials.handle.push(storable(handle))
    }
  }
  return { pages, contacts, socials }
}

/** A page the group wrote, with how many of its contacts and profiles went in (duplicates skipped). */
const Written = Schema.Struct({
  id: PageId,
  emails: Schema.NonNegativeInt,
  phones: Schema.NonNegativeInt,
  socials: Schema.NonNegativeInt,
})

export class PageSaves extends Effect.Service<PageSaves>()("Pages/PageSaves", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /**
     * Atomic: only the pages whose lease holds are ended, and only their contacts go in. Contacts go in
     * in key order, so two writers of one domain's contacts wait for each other rather than deadlock.
     */
    const save = (saves: ReadonlyArray<PageSave>): Effect.Effect<Array<SaveOutcome>, SqlError.SqlError> =>
      Effect.suspend(() => {
        const { pages, contacts, socials } = columnsOf(saves)
        return decodeRows(
          Written,
          sql`
            WITH u AS (
              SELECT * FROM unnest(
                ${pages.id}::uuid[], ${pages.owner}::text[], ${pages.status}::page_processing_status[],
                ${pages.error}::text[], ${pages.found}::int[], ${pages.dropped}::int[],
                ${pages.businessName}::text[], ${pages.credits}::int[], ${pages.fetchedWith}::text[],
                ${pages.reason}::text[]
              ) AS u(id, owner, status, error, found, dropped, business_name, credits, fetched_with, reason)
            ), written AS (
              UPDATE pages p SET page_processing_status = u.status, page_processing_error = u.error,
                contact_count = CASE WHEN u.status = 'Complete' THEN u.found ELSE p.contact_count END,
                contacts_dropped = CASE WHEN u.status = 'Complete' THEN u.dropped ELSE p.contacts_dropped END,
                business_name = CASE WHEN u.status = 'Complete' THEN u.business_name ELSE p.business_name END,
                processed_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                credits_spent = p.credits_spent + u.credits, fetched_with = u.fetched_with,
                render_reason = u.reason, updated_at = now()
              FROM u
              WHERE p.id = u.id AND p.lease_owner = u.owner AND p.page_processing_status = 'Processing'
              RETURNING p.id, p.domain_id, p.page_processing_status AS status
            ), contacts_in AS (
              INSERT INTO contacts (page_id, domain_id, email, email_type, phone, phone_type, source)
              SELECT c.page_id, w.domain_id, c.email, c.email_type, c.phone, c.phone_type, c.source
              FROM unnest(
                ${contacts.page}::uuid[], ${contacts.email}::text[],
                ${contacts.emailType}::contact_email_type[], ${contacts.phone}::text[],
                ${contacts.phoneType}::contact_phone_type[], ${contacts.source}::text[]
              ) WITH ORDINALITY AS c(page_id, email, email_type, phone, phone_type, source, ord)
              JOIN written w ON w.id = c.page_id AND w.status = 'Complete'
              ORDER BY w.domain_id, c.email, c.phone, c.ord
              ON CONFLICT DO NOTHING RETURNING page_id, email
            ), socials_in AS (
              INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
              SELECT s.page_id, w.domain_id, s.platform, s.url, s.handle
              FROM unnest(
                ${socials.page}::uuid[], ${socials.platform}::text[], ${socials.url}::text[],
                ${socials.handle}::text[]
              ) WITH ORDINALITY AS s(page_id, platform, url, handle, ord)
              JOIN written w ON w.id = s.page_id AND w.status = 'Complete'
              ORDER BY w.domain_id, s.platform, s.handle, s.ord
              ON CONFLICT DO NOTHING RETURNING page_id
            )
            SELECT w.id, coalesce(c.emails, 0)::int AS emails, coalesce(c.phones, 0)::int AS phones,
              coalesce(s.socials, 0)::int AS socials
            FROM written w
            LEFT JOIN (
              SELECT page_id, count(email) AS emails, count(*) - count(email) AS phones
              FROM contacts_in GROUP BY page_id
            ) c ON c.page_id = w.id
            LEFT JOIN (SELECT page_id, count(*) AS socials FROM socials_in GROUP BY page_id) s
              ON s.page_id = w.id`,
        )
      }).pipe(
        Effect.map((rows) => {
          const written = new Map(
            rows.map(({ id, emails, phones, socials }) => [id, { emails, phones, socials }]),
          )
          return saves.map(({ page, result }): SaveOutcome => {
            const saved = written.get(page.id)
            if (saved === undefined) return { _tag: "LeaseLost" }
            return result._tag === "Error" ? { _tag: "Error" } : { _tag: "Complete", saved }
          })
        }),
        Effect.withSpan("PageSaves.save", { attributes: { pages: saves.length } }),
      )

    return { save } as const
  }),
}) {}

const found = (extraction: Extraction) => extraction.emails.length + extraction.phones.length

const businessName = (result: PageResult) =>
  result._tag === "Complete" && result.extraction.businessName !== undefined
    ? storable(result.extraction.businessName)
    : null
