import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { Contact, SocialProfile } from "../Domain/Contact.js"
import { CurationStatus, Page, PageId, ProcessingStatus } from "../Domain/Page.js"
import { oneOf, QueryText } from "../Domain/Input.js"
import { contactsSelect } from "./ContactsQuery.js"
import { pageFilterClause } from "./Curation.js"
import { listWithTotal } from "./Rows.js"

/** Pages for the API: a filtered list with its total, and one page with what was found on it. */

export const PageFilterFields = {
  page_curation_status: Schema.optionalWith(oneOf(CurationStatus), { exact: true }),
  page_processing_status: Schema.optionalWith(oneOf(ProcessingStatus), { exact: true }),
  page_type: Schema.optionalWith(QueryText, { exact: true }),
  url_contains: Schema.optionalWith(QueryText, { exact: true }),
  domain: Schema.optionalWith(QueryText, { exact: true }),
}

const PageSort = Schema.Literal("created_at", "url")
const SortOrder = Schema.Literal("asc", "desc")

/** Orders a list can take: each one an index keeps (00003, and the unique index on url). */
export const PageSortFields = {
  sort: Schema.optionalWith(oneOf(PageSort), {
    default: (): typeof PageSort.Type => "created_at",
    exact: true,
  }),
  order: Schema.optionalWith(oneOf(SortOrder), { default: (): typeof SortOrder.Type => "asc", exact: true }),
}

export const PageDetail = Schema.Struct({
  ...Page.fields,
  contacts: Schema.Array(Contact),
  social_profiles: Schema.Array(SocialProfile),
}).annotations({ identifier: "PageDetail" })
export type PageDetail = typeof PageDetail.Type

const PageListRequest = Schema.Struct({
  ...PageFilterFields,
  sort: Schema.optional(PageSort),
  order: Schema.optional(SortOrder),
  limit: Schema.Int,
  offset: Schema.Int,
})
export type PageListRequest = typeof PageListRequest.Type

const pageColumns = (sql: SqlClient.SqlClient) => sql`
  p.id, p.url, d.domain, p.page_type, p.business_name, p.page_curation_status, p.page_processing_status,
  p.page_processing_error, p.processing_attempts, p.contact_count, p.contacts_dropped, p.selected_at,
  p.processed_at, p.created_at, p.updated_at, p.credits_spent, p.fetched_with, p.render_reason`

/** One page of the list in import order then by URL (the list indexes of 00003), or by URL alone. */
export const pagesListStatement = (sql: SqlClient.SqlClient, request: PageListRequest) => {
  const direction = request.order === "desc" ? sql`DESC` : sql`ASC`
  const order =
    request.sort === "url" ? sql`p.url ${direction}` : sql`p.created_at ${direction}, p.url ${direction}`
  return sql`
    SELECT ${pageColumns(sql)} FROM pages p JOIN domains d ON d.id = p.domain_id
    WHERE ${pageFilterClause(sql, request)}
    ORDER BY ${order}
    LIMIT ${request.limit} OFFSET ${request.offset}`
}

export class PagesQuery extends Effect.Service<PagesQuery>()("Pages/PagesQuery", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const findPage = SqlSchema.findOne({
      Request: PageId,
      Result: Schema.typeSchema(Page),
      execute: (id) => sql`
        SELECT ${pageColumns(sql)} FROM pages p JOIN domains d ON d.id = p.domain_id WHERE p.id = ${id}`,
    })

    const findContacts = SqlSchema.findAll({
      Request: PageId,
      Result: Schema.typeSchema(Contact),
      execute: (id) => sql`${contactsSelect(sql)} WHERE c.page_id = ${id} ORDER BY c.created_at, c.id`,
    })

    const findSocials = SqlSchema.findAll({
      Request: PageId,
      Result: Schema.typeSchema(SocialProfile),
      execute: (id) => sql`
        SELECT id, platform, url, handle, created_at FROM social_profiles
        WHERE page_id = ${id} ORDER BY platform, handle`,
    })

    const list = Effect.fn("PagesQuery.list")(function* (request: PageListRequest) {
      return yield* listWithTotal(
        Schema.typeSchema(Page),
        pagesListStatement(sql, request),
        sql`SELECT count(*)::int AS total FROM pages WHERE ${pageFilterClause(sql, request)}`,
      )
    }, Effect.orDie)

    const get = Effect.fn("PagesQuery.get")(function* (id: PageId) {
      const page = yield* findPage(id)
      if (Option.isNone(page)) return Option.none<PageDetail>()
      const [contacts, social_profiles] = yield* Effect.all([findContacts(id), findSocials(id)], {
        concurrency: 2,
      })
      return Option.some<PageDetail>({ ...page.value, contacts, social_profiles })
    }, Effect.orDie)

    return { list, get } as const
  }),
}) {}
