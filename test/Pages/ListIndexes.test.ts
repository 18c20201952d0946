import { SqlClient, type Statement } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { PageId } from "../../src/Domain/Page.js"
import { contactsListStatement } from "../../src/Pages/ContactsQuery.js"
import { pagesListStatement } from "../../src/Pages/PagesQuery.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** The plan Postgres chooses for `statement`, as EXPLAIN prints it. */
const plan = (statement: Statement.Statement<unknown>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ "QUERY PLAN": string }>`EXPLAIN ${statement}`
    return rows.map((row) => row["QUERY PLAN"]).join("\n")
  })

const page = { limit: 100, offset: 0 }

it.layer(TestDatabaseLive)("the API's list queries", (it) => {
  it.effect("read pages and contacts in list order from an index instead of sorting the table", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO domains (domain) SELECT 'shop' || i || '.example' FROM generate_series(1, 50) i`
      yield* sql`
        INSERT INTO pages (domain_id, url, page_curation_status, page_processing_status, created_at)
        SELECT d.id, 'https://' || d.domain || '/contact/' || i,
               (ARRAY['New', 'Selected', 'Rejected'])[1 + i % 3]::page_curation_status,
               (ARRAY['Queued', 'Complete', 'Error'])[1 + i % 3]::page_processing_status,
               now() - i * interval '1 second'
        FROM generate_series(1, 20000) i
        JOIN domains d ON d.domain = 'shop' || (1 + i % 50) || '.example'`
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
        SELECT id, domain_id, 'info' || row_number() OVER () || '@shop.example', 'SERVICE', 'mailto', created_at
        FROM pages`
      yield* sql`ANALYZE`
      const [first] = yield* sql<{ id: string }>`SELECT id FROM pages LIMIT 1`
      const pageId = PageId.make(first?.id ?? "")

      const plans = {
        pages: yield* plan(pagesListStatement(sql, page)),
        pagesByCuration: yield* plan(pagesListStatement(sql, { ...page, page_curation_status: "Selected" })),
        pagesByProcessing: yield* plan(pagesListStatement(sql, { ...page, page_processing_status: "Error" })),
        pagesNewestFirst: yield* plan(pagesListStatement(sql, { ...page, order: "desc" })),
        pagesByUrl: yield* plan(pagesListStatement(sql, { ...page, sort: "url", order: "desc" })),
        contacts: yield* plan(contactsListStatement(sql, page)),
        contactsOfPage: yield* plan(contactsListStatement(sql, { ...page, page_id: pageId })),
      }
      expect(plans.pages).toContain("pages_list_idx")
      expect(plans.pagesByCuration).toContain("pages_curation_list_idx")
      expect(plans.pagesByProcessing).toContain("pages_processing_list_idx")
      expect(plans.pagesNewestFirst).toContain("Index Scan Backward using pages_list_idx")
      expect(plans.pagesByUrl).toContain("Index Scan Backward using pages_url_key")
      expect(plans.contacts).toContain("contacts_list_idx")
      expect(plans.contactsOfPage).toContain("contacts_page_list_idx")
      // A page's contacts (at most WF7_MAX_CONTACTS_PER_PAGE) and a domain's few profiles (the CSV's
      // subplan) may be sorted; the listed tables never are.
      for (const text of [
        plans.pages,
        plans.pagesByCuration,
        plans.pagesByProcessing,
        plans.pagesNewestFirst,
        plans.pagesByUrl,
        plans.contacts,
      ]) {
        expect(text.split("SubPlan")[0]).not.toMatch(/Sort/)
      }
    }),
  )
})
