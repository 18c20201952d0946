import { SqlClient, type SqlError } from "@effect/sql"
import { Effect } from "effect"
import type { Extraction } from "../Domain/Contact.js"
import { storable, type ClaimedPage, type PageSpend } from "./PagesRepo.js"

/**
 * Finished pages saved in groups: one transaction and one statement per table for the whole group,
 * rows passed as one array per column (`unnest`), so neither the group nor a page can pass Postgres's
 * 65,535 parameters. Every page is still fenced on its own lease: a page rescued or re-selected
 * meanwhile is left alone and reported `LeaseLost`, and the others commit.
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

interface Written {
  readonly page: ClaimedPage
  readonly extraction: Extraction
}

const column = <A>(saves: ReadonlyArray<PageSave>, value: (save: PageSave) => A) => saves.map(value)

export class PageSaves extends Effect.Service<PageSaves>()("Pages/PageSaves", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /** `Complete` (with the counts extraction found) for the pages whose lease still holds. */
    const completeRows = (saves: ReadonlyArray<PageSave>) =>
      sql<{ id: string }>`
        UPDATE pages p SET page_processing_status = 'Complete', page_processing_error = NULL,
          contact_count = u.found, contacts_dropped = u.dropped, processed_at = now(),
          business_name = u.business_name, lease_owner = NULL, lease_expires_at = NULL,
          credits_spent = p.credits_spent + u.credits, fetched_with = u.fetched_with,
          render_reason = u.reason, updated_at = now()
        FROM unnest(
          ${column(saves, ({ page }) => page.id)}::uuid[],
          ${column(saves, ({ page }) => page.lease_owner)}::text[],
          ${column(saves, ({ result }) => (result._tag === "Complete" ? found(result.extraction) : 0))}::int[],
          ${column(saves, ({ result }) => (result._tag === "Complete" ? result.dropped : 0))}::int[],
          ${column(saves, ({ result }) => businessName(result))}::text[],
          ${column(saves, ({ spend }) => spend.credits)}::int[],
          ${column(saves, ({ spend }) => spend.fetchedWith)}::text[],
          ${column(saves, ({ spend }) => storable(spend.reason))}::text[]
        ) AS u(id, owner, found, dropped, business_name, credits, fetched_with, reason)
        WHERE p.id = u.id AND p.lease_owner = u.owner AND p.page_processing_status = 'Processing'
        RETURNING p.id`

    /** `Error` with its message, for the pages whose lease still holds. */
    const errorRows = (saves: ReadonlyArray<PageSave>) =>
      sql<{ id: string }>`
        UPDATE pages p SET page_processing_status = 'Error', page_processing_error = u.error,
          processed_at = now(), credits_spent = p.credits_spent + u.credits,
          fetched_with = u.fetched_with, render_reason = u.reason,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        FROM unnest(
          ${column(saves, ({ page }) => page.id)}::uuid[],
          ${column(saves, ({ page }) => page.lease_owner)}::text[],
          ${column(saves, ({ result }) => (result._tag === "Error" ? storable(result.error) : ""))}::text[],
          ${column(saves, ({ spend }) => spend.credits)}::int[],
          ${column(saves, ({ spend }) => spend.fetchedWith)}::text[],
          ${column(saves, ({ spend }) => storable(spend.reason))}::text[]
        ) AS u(id, owner, error, credits, fetched_with, reason)
        WHERE p.id = u.id AND p.lease_owner = u.owner AND p.page_processing_status = 'Processing'
        RETURNING p.id`

    /** The contacts of the pages just completed; duplicates are skipped. Returns what went in, by page. */
    const contactRows = (written: ReadonlyArray<Written>) => {
      const rows = written.flatMap(({ page, extraction }) => [
        ...extraction.emails.map(({ value, type, source }) => ({
          page,
          email: storable(value),
          email_type: type,
          phone: null,
          phone_type: null,
          source: storable(source),
        })),
        ...extraction.phones.map(({ value, type, source }) => ({
          page,
          email: null,
          email_type: null,
          phone: storable(value),
          phone_type: type,
          source: storable(source),
        })),
      ])
      if (rows.length === 0) return Effect.succeed([])
      return sql<{ page_id: string; email: string | null }>`
        INSERT INTO contacts (page_id, domain_id, email, email_type, phone, phone_type, source)
        SELECT * FROM unnest(
          ${rows.map((row) => row.page.id)}::uuid[],
          ${rows.map((row) => row.page.domain_id)}::uuid[],
          ${rows.map((row) => row.email)}::text[],
          ${rows.map((row) => row.email_type)}::contact_email_type[],
          ${rows.map((row) => row.phone)}::text[],
          ${rows.map((row) => row.phone_type)}::contact_phone_type[],
          ${rows.map((row) => row.source)}::text[]
        ) ON CONFLICT DO NOTHING RETURNING page_id, email`
    }

    const socialRows = (written: ReadonlyArray<Written>) => {
      const rows = written.flatMap(({ page, extraction }) =>
        extraction.socials.map((social) => ({ page, social })),
      )
      if (rows.length === 0) return Effect.succeed([])
      return sql<{ page_id: string }>`
        INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
        SELECT * FROM unnest(
          ${rows.map((row) => row.page.id)}::uuid[],
          ${rows.map((row) => row.page.domain_id)}::uuid[],
          ${rows.map((row) => storable(row.social.platform))}::text[],
          ${rows.map((row) => storable(row.social.url))}::text[],
          ${rows.map((row) => storable(row.social.handle))}::text[]
        ) ON CONFLICT DO NOTHING RETURNING page_id`
    }

    /** One transaction for the group; the outcomes come back in the group's order. */
    const save = (saves: ReadonlyArray<PageSave>): Effect.Effect<Array<SaveOutcome>, SqlError.SqlError> =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const completing = saves.filter((save) => save.result._tag === "Complete")
            const failing = saves.filter((save) => save.result._tag === "Error")
            const held = new Set<string>()
            if (completing.length > 0) for (const row of yield* completeRows(completing)) held.add(row.id)
            if (failing.length > 0) for (const row of yield* errorRows(failing)) held.add(row.id)
            const written = completing.flatMap(({ page, result }) =>
              held.has(page.id) && result._tag === "Complete"
                ? [{ page, extraction: result.extraction }]
                : [],
            )
            const counts = new Map<string, { emails: number; phones: number; socials: number }>()
            const countOf = (id: string) => {
              const known = counts.get(id) ?? { emails: 0, phones: 0, socials: 0 }
              counts.set(id, known)
              return known
            }
            for (const row of yield* contactRows(written)) {
              const count = countOf(row.page_id)
              if (row.email === null) count.phones++
              else count.emails++
            }
            for (const row of yield* socialRows(written)) countOf(row.page_id).socials++
            return saves.map(({ page, result }): SaveOutcome => {
              if (!held.has(page.id)) return { _tag: "LeaseLost" }
              if (result._tag === "Error") return { _tag: "Error" }
              return { _tag: "Complete", saved: counts.get(page.id) ?? { emails: 0, phones: 0, socials: 0 } }
            })
          }),
        )
        .pipe(Effect.withSpan("PageSaves.save", { attributes: { pages: saves.length } }))

    return { save } as const
  }),
}) {}

const found = (extraction: Extraction) => extraction.emails.length + extraction.phones.length

const businessName = (result: PageResult) =>
  result._tag === "Complete" && result.extraction.businessName !== undefined
    ? storable(result.extraction.businessName)
    : null
