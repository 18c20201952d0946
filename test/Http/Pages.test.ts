import { SqlClient, SqlSchema } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { PageId } from "../../src/Domain/Page.js"
import { FilterRefused, NotFound } from "../../src/Http/Errors.js"
import {
  apiClient,
  callApi,
  httpTestLayer,
  importUrls,
  json,
  listPages,
  type PageListParams,
  triggerCount,
} from "../support/Http.js"

const pageIds = (urlPrefix: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    SqlSchema.findAll({
      Request: Schema.String,
      Result: Schema.Struct({ id: PageId }),
      execute: (prefix) => sql`SELECT id FROM pages WHERE url LIKE ${`${prefix}%`} ORDER BY url`,
    })(urlPrefix),
  ).pipe(Effect.map((rows) => rows.map((row) => row.id)))

it.layer(httpTestLayer())("HTTP API: pages", (it) => {
  it.effect("imports URLs: created, existing, and each invalid one with its index", () =>
    Effect.gen(function* () {
      const before = yield* triggerCount
      const first = yield* importUrls(["https://import.example/a", "not a url", "https://import.example/b"])
      expect(first).toEqual({
        created: 2,
        existing: 0,
        invalid: [{ index: 1, url: "not a url", reason: "not a URL" }],
        invalid_count: 1,
        queued: 0,
      })
      const again = yield* importUrls(["https://import.example/a", "https://import.example/c"], true)
      expect(again).toMatchObject({ created: 1, existing: 1, queued: 2 })
      expect(yield* triggerCount).toBe(before + 1)
    }),
  )

  it.effect("an import takes at most 10,000 URLs and lists the first 100 invalid ones with their count", () =>
    Effect.gen(function* () {
      // Raw: the typed client would refuse to send what the server must refuse.
      const tooMany = yield* callApi("/api/v3/pages", {
        method: "POST",
        body: { urls: Array.from({ length: 10001 }, (_, index) => `https://cap.example/${index}`) },
      }).pipe(Effect.flatMap(json))
      expect(tooMany).toEqual({
        status: 400,
        body: {
          error: "InvalidRequest",
          message: expect.stringMatching(/^urls: Expected an array of at most 10000 item/),
        },
      })
      const [pages] = yield* SqlClient.SqlClient.pipe(
        Effect.flatMap(
          (sql) =>
            sql<{
              count: number
            }>`SELECT count(*)::int AS count FROM pages WHERE url LIKE 'https://cap.example/%'`,
        ),
      )
      expect(pages?.count).toBe(0)

      const urls = Array.from({ length: 10000 }, (_, index) =>
        index % 100 === 0 ? `https://cap.example/${index}` : `bad ${index}`,
      )
      const mixed = yield* importUrls(urls)
      expect(mixed).toMatchObject({ created: 100, existing: 0, invalid_count: 9900 })
      expect(mixed.invalid).toHaveLength(100)
      expect(mixed.invalid[99]).toEqual({ index: 101, url: "bad 101", reason: "not a URL" })
    }),
  )

  it.effect("lists pages with filters, paging and the total; url_contains is a literal substring", () =>
    Effect.gen(function* () {
      yield* importUrls([
        "https://list.example/100%25-off",
        "https://list.example/a_b",
        "https://list.example/aXb",
        "https://list.example/plain",
      ])
      const list = (filter: Partial<PageListParams>) => listPages({ order: "desc", ...filter })
      const all = yield* list({ url_contains: "LIST.example" })
      expect(all.total).toBe(4)
      expect(all.items[0]).toMatchObject({
        domain: "list.example",
        page_curation_status: "New",
        page_processing_status: null,
        processing_attempts: 0,
      })
      const window = yield* list({ url_contains: "list.example", limit: 2, offset: 1 })
      expect(window).toEqual({ items: all.items.slice(1, 3), total: 4 })
      const literal = yield* list({ url_contains: "a_b" })
      expect(literal.items.map((page) => page.url)).toEqual(["https://list.example/a_b"])
      const percent = yield* list({ url_contains: "%" })
      expect(percent.total).toBe(1)
      const byStatus = yield* list({ url_contains: "list.example", page_curation_status: "Selected" })
      expect(byStatus).toEqual({ items: [], total: 0 })
    }),
  )

  it.effect("gets a page with its contacts and social profiles; an unknown id is 404", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* importUrls(["https://detail.example/contact"])
      const [id] = yield* pageIds("https://detail.example/")
      if (id === undefined) return expect.fail("the page was not imported")
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source)
        SELECT id, domain_id, 'info@detail.example', 'SERVICE', 'mailto' FROM pages WHERE id = ${id}`
      yield* sql`
        INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
        SELECT id, domain_id, 'linkedin', 'https://www.linkedin.com/company/detail', 'detail'
        FROM pages WHERE id = ${id}`
      const api = yield* apiClient
      const page = yield* api.pages.get({ path: { id } })
      expect(page).toMatchObject({
        id,
        url: "https://detail.example/contact",
        contacts: [{ email: "info@detail.example", email_type: "SERVICE", phone: null, source: "mailto" }],
        social_profiles: [{ platform: "linkedin", handle: "detail" }],
      })
      const unknown = PageId.make("00000000-0000-4000-8000-000000000000")
      const missing = yield* Effect.flip(api.pages.get({ path: { id: unknown } }))
      expect(missing).toEqual(new NotFound({ message: `No page with id ${unknown}` }))
    }),
  )

  it.effect("a page with more contacts than WF7_MAX_CONTACTS_PER_PAGE shows how many were not stored", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* importUrls(["https://capped.example/contact"])
      const [id] = yield* pageIds("https://capped.example/")
      if (id === undefined) return expect.fail("the page was not imported")
      yield* sql`
        UPDATE pages SET page_processing_status = 'Complete', contact_count = 2000, contacts_dropped = 10000
        WHERE id = ${id}`
      const page = yield* Effect.flatMap(apiClient, (api) => api.pages.get({ path: { id } }))
      expect(page).toMatchObject({
        page_processing_status: "Complete",
        contact_count: 2000,
        contacts_dropped: 10000,
      })
    }),
  )

  it.effect("sets the status of listed pages with the dual-status rule and wakes the worker", () =>
    Effect.gen(function* () {
      yield* importUrls(["https://status.example/1", "https://status.example/2"])
      const ids = yield* pageIds("https://status.example/")
      const before = yield* triggerCount
      const api = yield* apiClient
      const selected = yield* api.pages.setStatus({ payload: { page_ids: ids, status: "Selected" } })
      expect(selected).toEqual({ updated: 2, queued: 2 })
      expect(yield* triggerCount).toBe(before + 1)
      const rejected = yield* api.pages.setStatus({
        payload: { page_ids: ids.slice(0, 1), status: "Rejected" },
      })
      expect(rejected).toEqual({ updated: 1, queued: 0 })
      expect(yield* triggerCount).toBe(before + 1)
      const page = yield* api.pages.get({ path: { id: ids[0] ?? PageId.make(crypto.randomUUID()) } })
      expect(page).toMatchObject({ page_curation_status: "Rejected", page_processing_status: null })
    }),
  )

  it.effect("refuses an empty filter unless all is true", () =>
    Effect.gen(function* () {
      const api = yield* apiClient
      const empty = yield* Effect.flip(
        api.pages.setStatusFiltered({ payload: { status: "Archived", url_contains: "", all: false } }),
      )
      expect(empty).toEqual(
        new FilterRefused({ message: 'The filter is empty; send "all": true to change every page' }),
      )
      yield* importUrls(["https://all.example/1"])
      const all = yield* api.pages.setStatusFiltered({ payload: { status: "Skipped", all: true } })
      expect(all.updated).toBeGreaterThanOrEqual(1)
      const page = yield* listPages({ url_contains: "all.example" })
      expect(page.items.map((item) => item.page_curation_status)).toEqual(["Skipped"])
    }),
  )
})

// Its own database: the cap is checked against every page it holds.
it.layer(httpTestLayer())("HTTP API: select all", (it) => {
  it.effect("selects all 5,000 pages matching a filter in one call; the worker is woken", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const urls = Array.from({ length: 5000 }, (_, index) => `https://bulk.example/page/${index}`)
      expect((yield* importUrls(urls)).created).toBe(5000)
      const before = yield* triggerCount
      const api = yield* apiClient
      const change = yield* api.pages.setStatusFiltered({
        payload: {
          status: "Selected",
          url_contains: "bulk.example/",
          page_curation_status: "New",
          all: false,
        },
      })
      expect(change).toEqual({ updated: 5000, queued: 5000 })
      expect(yield* triggerCount).toBe(before + 1)
      const [queued] = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pages
        WHERE url LIKE 'https://bulk.example/%' AND page_processing_status = 'Queued'
          AND page_curation_status = 'Selected' AND selected_at IS NOT NULL`
      expect(queued?.count).toBe(5000)

      // One page more than WF7_MAX_FILTERED_BATCH_SIZE (5,000 in the test config) is refused whole.
      yield* importUrls(["https://bulk.example/page/5000"])
      const tooMany = yield* Effect.flip(
        api.pages.setStatusFiltered({
          payload: { status: "Archived", url_contains: "bulk.example/", all: false },
        }),
      )
      expect(tooMany).toEqual(
        new FilterRefused({
          message:
            "The filter matches 5001 pages; one call may change at most 5000 (WF7_MAX_FILTERED_BATCH_SIZE). Narrow the filter.",
        }),
      )
      const [archived] = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pages WHERE page_curation_status = 'Archived'`
      expect(archived?.count).toBe(0)
    }),
  )
})
