import { SqlClient, type Statement } from "@effect/sql"
import { Effect, Schema, Stream } from "effect"
import { Contact, EmailType, PhoneType } from "../Domain/Contact.js"
import { PageId } from "../Domain/Page.js"
import { oneOf, QueryDate, QueryText } from "../Domain/Input.js"
import { canonicalDomain } from "../Domain/Url.js"
import { listWithTotal } from "./Rows.js"

/**
 * Contacts for the API and the CLI: a filtered list with its total, and every match (or business) as a
 * stream read through a cursor, so an export of any size uses flat memory.
 */

const ContactKind = Schema.Literal("email", "phone", "social")

export const ContactFilterFields = {
  domain: Schema.optionalWith(QueryText, { exact: true }),
  page_id: Schema.optionalWith(PageId, { exact: true }),
  email_type: Schema.optionalWith(oneOf(EmailType), { exact: true }),
  phone_type: Schema.optionalWith(oneOf(PhoneType), { exact: true }),
  since: Schema.optionalWith(QueryDate, { exact: true }),
  /** `social`: contacts of businesses with at least one social profile (listed on each contact). */
  kind: Schema.optionalWith(oneOf(ContactKind), { exact: true }),
  /** Case-insensitive text in the email, the phone or the domain. */
  q: Schema.optionalWith(QueryText, { exact: true }),
}

const ContactFilter = Schema.Struct(ContactFilterFields)
export type ContactFilter = typeof ContactFilter.Type

export const Business = Schema.Struct({
  domain: Schema.String,
  business_name: Schema.NullOr(Schema.String),
  emails: Schema.Array(Schema.String),
  phones: Schema.Array(Schema.String),
  social_profiles: Schema.Array(Schema.String),
  page_urls: Schema.Array(Schema.String),
}).annotations({ identifier: "Business" })
export type Business = typeof Business.Type

const ContactListRequest = Schema.Struct({ ...ContactFilterFields, limit: Schema.Int, offset: Schema.Int })
export type ContactListRequest = typeof ContactListRequest.Type

const domainProfiles = (sql: SqlClient.SqlClient, domainId: Statement.Fragment) =>
  sql`ARRAY(SELECT s.url FROM social_profiles s WHERE s.domain_id = ${domainId} ORDER BY s.platform, s.handle)`

/** Contacts with their page and domain; callers add WHERE and ORDER BY. */
export const contactsSelect = (sql: SqlClient.SqlClient) => sql`
  SELECT c.id, c.page_id, p.url AS page_url, d.domain, c.email, c.phone, c.email_type, c.phone_type,
         c.source, c.created_at, p.business_name, ${domainProfiles(sql, sql`c.domain_id`)} AS social_profiles
  FROM contacts c JOIN pages p ON p.id = c.page_id JOIN domains d ON d.id = c.domain_id`

const kindClause = (sql: SqlClient.SqlClient, kind: typeof ContactKind.Type) =>
  kind === "email"
    ? sql`c.email IS NOT NULL`
    : kind === "phone"
      ? sql`c.phone IS NOT NULL`
      : sql`EXISTS (SELECT 1 FROM social_profiles s WHERE s.domain_id = c.domain_id)`

const filterClause = (sql: SqlClient.SqlClient, filter: ContactFilter): Statement.Fragment =>
  sql.and([
    ...(filter.domain === undefined ? [] : [sql`d.domain = ${canonicalDomain(filter.domain)}`]),
    ...(filter.page_id === undefined ? [] : [sql`c.page_id = ${filter.page_id}`]),
    ...(filter.email_type === undefined
      ? []
      : [sql`c.email_type = ${filter.email_type}::contact_email_type`]),
    ...(filter.phone_type === undefined
      ? []
      : [sql`c.phone_type = ${filter.phone_type}::contact_phone_type`]),
    ...(filter.since === undefined ? [] : [sql`c.created_at >= ${filter.since}`]),
    ...(filter.kind === undefined ? [] : [kindClause(sql, filter.kind)]),
    // strpos, not LIKE: the curator's text is data, `%` and `_` included.
    ...(filter.q === undefined || filter.q.trim() === ""
      ? []
      : [sql`strpos(lower(coalesce(c.email, c.phone) || ' ' || d.domain), lower(${filter.q.trim()})) > 0`]),
  ])

/** One page of contacts, oldest first: the order the list indexes (00003) keep. */
export const contactsListStatement = (sql: SqlClient.SqlClient, request: ContactListRequest) => sql`
  ${contactsSelect(sql)} WHERE ${filterClause(sql, request)}
  ORDER BY c.created_at, c.id LIMIT ${request.limit} OFFSET ${request.offset}`

export class ContactsQuery extends Effect.Service<ContactsQuery>()("Pages/ContactsQuery", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const decodeContact = Schema.decodeUnknown(Schema.typeSchema(Contact))
    const decodeBusiness = Schema.decodeUnknown(Schema.typeSchema(Business))

    const list = Effect.fn("ContactsQuery.list")(function* (request: ContactListRequest) {
      return yield* listWithTotal(
        Schema.typeSchema(Contact),
        contactsListStatement(sql, request),
        sql`SELECT count(*)::int AS total FROM contacts c JOIN domains d ON d.id = c.domain_id
            WHERE ${filterClause(sql, request)}`,
      )
    }, Effect.orDie)

    /** Every matching contact in the order `list` pages through them, read 128 rows at a time. */
    const stream = (filter: ContactFilter): Stream.Stream<Contact> =>
      sql`${contactsSelect(sql)} WHERE ${filterClause(sql, filter)} ORDER BY c.created_at, c.id`.stream.pipe(
        Stream.mapEffect(decodeContact),
        Stream.orDie,
        Stream.withSpan("ContactsQuery.stream"),
      )

    /** One row per domain with matching contacts, by domain; its name is the latest a page gave. */
    const businesses = (filter: ContactFilter): Stream.Stream<Business> =>
      sql`
        SELECT d.domain,
          (SELECT named.business_name FROM pages named
           WHERE named.domain_id = d.id AND named.business_name IS NOT NULL
           ORDER BY named.processed_at DESC NULLS LAST LIMIT 1) AS business_name,
          coalesce(array_agg(DISTINCT c.email) FILTER (WHERE c.email IS NOT NULL), '{}') AS emails,
          coalesce(array_agg(DISTINCT c.phone) FILTER (WHERE c.phone IS NOT NULL), '{}') AS phones,
          ${domainProfiles(sql, sql`d.id`)} AS social_profiles,
          array_agg(DISTINCT p.url) AS page_urls
        FROM contacts c JOIN pages p ON p.id = c.page_id JOIN domains d ON d.id = c.domain_id
        WHERE ${filterClause(sql, filter)}
        GROUP BY d.id, d.domain ORDER BY d.domain`.stream.pipe(
        Stream.mapEffect(decodeBusiness),
        Stream.orDie,
        Stream.withSpan("ContactsQuery.businesses"),
      )

    return { list, stream, businesses } as const
  }),
}) {}
