import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { callApi, httpTestLayer, json, triggerCount } from "../support/Http.js"

const importUrls = (urls: ReadonlyArray<string>, select = false) =>
  callApi("/api/v3/pages", { method: "POST", body: { urls, select } }).pipe(Effect.flatMap(json))

const pageIds = (urlPrefix: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ id: string }>`SELECT id FROM pages WHERE url LIKE ${`${urlPrefix}%`} ORDER BY url`,
  ).pipe(Effect.map((rows) => rows.map((row) => row.id)))

it.layer(httpTestLayer())("HTTP API: pages", (it) => {
  it.effect("imports URLs: created, existing, and each invalid one with its index", () =>
    Effect.gen(function* () {
      const before = yield* triggerCount
      const first = yield* importUrls(["https://import.example/a", "not a url", "https://import.example/b"])
      expect(first.status).toBe(200)
      expect(first.body).toEqual({
        created: 2,
        existing: 0,
        invalid: [{ index: 1, url: "not a url", reason: "not a URL" }],
        invalid_count: 1,
        queued: 0,
      })
      const again = yield* importUrls(["https://import.example/a", "https://import.example/c"], true)
      expect(again.body).toMatchObject({ created: 1, existing: 1, queued: 2 })
      expect(yield* triggerCount).toBe(before + 1)
    }),
  )

  it.effect("an import takes at most 10,000 URLs and lists the first 100 invalid ones with their count", () =>
    Effect.gen(function* () {
      const tooMany = yield* importUrls(
        Array.from({ length: 10001 }, (_, index) => `https://cap.example/${index}`),
      )
      expect(tooMany.status).toBe(400)
      expect(tooMany.body.error).toBe("InvalidRequest")
      expect(tooMany.body.message).toMatch(/^urls: Expected an array of at most 10000 item/)
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
      expect(mixed.status).toBe(200)
      expect(mixed.body).toMatchObject({ created: 100, existing: 0, invalid_count: 9900 })
      expect(mixed.body.invalid).toHaveLength(100)
      expect(mixed.body.invalid[99]).toEqual({ index: 101, url: "bad 101", reason: "not a URL" })
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
      const all = yield* callApi("/api/v3/pages?url_contains=LIST.example").pipe(Effect.flatMap(json))
      expect(all.status).toBe(200)
      expect(all.body.total).toBe(4)
      expect(all.body.items[0]).toMatchObject({
        domain: "list.example",
        page_curation_status: "New",
        page_processing_status: null,
        processing_attempts: 0,
      })
      const window = yield* callApi("/api/v3/pages?url_contains=list.example&limit=2&offset=1").pipe(
        Effect.flatMap(json),
      )
      expect(window.body).toEqual({ items: all.body.items.slice(1, 3), total: 4 })
      const literal = yield* callApi("/api/v3/pages?url_contains=a_b").pipe(Effect.flatMap(json))
      expect(literal.body.items.map((page: { url: string }) => page.url)).toEqual([
        "https://list.example/a_b",
      ])
      const percent = yield* callApi("/api/v3/pages?url_contains=%25").pipe(Effect.flatMap(json))
      expect(percent.body.total).toBe(1)
      const byStatus = yield* callApi(
        "/api/v3/pages?url_contains=list.example&page_curation_status=Selected",
      ).pipe(Effect.flatMap(json))
      expect(byStatus.body).toEqual({ items: [], total: 0 })
    }),
  )

  it.effect("gets a page with its contacts and social profiles; an unknown id is 404", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* importUrls(["https://detail.example/contact"])
      const [id] = yield* pageIds("https://detail.example/")
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source)
        SELECT id, domain_id, 'info@detail.example', 'SERVICE', 'mailto' FROM pages WHERE id = ${id!}`
      yield* sql`
        INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
        SELECT id, domain_id, 'linkedin', 'https://www.linkedin.com/company/detail', 'detail'
        FROM pages WHERE id = ${id!}`
      const page = yield* callApi(`/api/v3/pages/${id}`).pipe(Effect.flatMap(json))
      expect(page.status).toBe(200)
      expect(page.body).toMatchObject({
        id,
        url: "https://detail.example/contact",
        contacts: [{ email: "info@detail.example", email_type: "SERVICE", phone: null, source: "mailto" }],
        social_profiles: [{ platform: "linkedin", handle: "detail" }],
      })
      const missing = yield* callApi("/api/v3/pages/00000000-0000-4000-8000-000000000000").pipe(
        Effect.flatMap(json),
      )
      expect(missing.status).toBe(404)
      expect(missing.body).toEqual({
        error: "NotFound",
        message: "No page with id 00000000-0000-4000-8000-000000000000",
      })
    }),
  )

  it.effect("a page with more contacts than WF7_MAX_CONTACTS_PER_PAGE shows how many were not stored", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* importUrls(["https://capped.example/contact"])
      const [id] = yield* pageIds("https://capped.example/")
      yield* sql`
        UPDATE pages SET page_processing_status = 'Complete', contact_count = 2000, contacts_dropped = 10000
        WHERE id = ${id!}`
      const page = yield* callApi(`/api/v3/pages/${id}`).pipe(Effect.flatMap(json))
      expect(page.body).toMatchObject({
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
      const selected = yield* callApi("/api/v3/pages/status", {
        method: "PUT",
        body: { page_ids: ids, status: "Selected" },
      }).pipe(Effect.flatMap(json))
      expect(selected.body).toEqual({ updated: 2, queued: 2 })
      expect(yield* triggerCount).toBe(before + 1)
      const rejected = yield* callApi("/api/v3/pages/status", {
        method: "PUT",
        body: { page_ids: [ids[0]], status: "Rejected" },
      }).pipe(Effect.flatMap(json))
      expect(rejected.body).toEqual({ updated: 1, queued: 0 })
      expect(yield* triggerCount).toBe(before + 1)
      const page = yield* callApi(`/api/v3/pages/${ids[0]}`).pipe(Effect.flatMap(json))
      expect(page.body).toMatchObject({ page_curation_status: "Rejected", page_processing_status: null })
    }),
  )

  it.effect("refuses an empty filter unless all is true", () =>
    Effect.gen(function* () {
      const empty = yield* callApi("/api/v3/pages/status/filtered", {
        method: "PUT",
        body: { status: "Archived", url_contains: "" },
      }).pipe(Effect.flatMap(json))
      expect(empty.status).toBe(422)
      expect(empty.body).toEqual({
        error: "FilterRefused",
        message: 'The filter is empty; send "all": true to change every page',
      })
      yield* importUrls(["https://all.example/1"])
      const all = yield* callApi("/api/v3/pages/status/filtered", {
        method: "PUT",
        body: { status: "Skipped", all: true },
      }).pipe(Effect.flatMap(json))
      expect(all.status).toBe(200)
      expect(all.body.updated).toBeGreaterThanOrEqual(1)
      const page = yield* callApi("/api/v3/pages?url_contains=all.example").pipe(Effect.flatMap(json))
      expect(page.body.items[0].page_curation_status).toBe("Skipped")
    }),
  )
})

// Its own database: the cap is checked against every page it holds.
it.layer(httpTestLayer())("HTTP API: select all", (it) => {
  it.effect("selects all 5,000 pages matching a filter in one call; the worker is woken", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const urls = Array.from({ length: 5000 }, (_, index) => `https://bulk.example/page/${index}`)
      expect((yield* importUrls(urls)).body.created).toBe(5000)
      const before = yield* triggerCount
      const change = yield* callApi("/api/v3/pages/status/filtered", {
        method: "PUT",
        body: { status: "Selected", url_contains: "bulk.example/", page_curation_status: "New" },
      }).pipe(Effect.flatMap(json))
      expect(change).toEqual({ status: 200, body: { updated: 5000, queued: 5000 } })
      expect(yield* triggerCount).toBe(before + 1)
      const [queued] = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pages
        WHERE url LIKE 'https://bulk.example/%' AND page_processing_status = 'Queued'
          AND page_curation_status = 'Selected' AND selected_at IS NOT NULL`
      expect(queued?.count).toBe(5000)

      // One page more than WF7_MAX_FILTERED_BATCH_SIZE (5,000 in the test config) is refused whole.
      yield* importUrls(["https://bulk.example/page/5000"])
      const tooMany = yield* callApi("/api/v3/pages/status/filtered", {
        method: "PUT",
        body: { status: "Archived", url_contains: "bulk.example/" },
      }).pipe(Effect.flatMap(json))
      expect(tooMany.status).toBe(422)
      expect(tooMany.body).toEqual({
        error: "FilterRefused",
        message:
          "The filter matches 5001 pages; one call may change at most 5000 (WF7_MAX_FILTERED_BATCH_SIZE). Narrow the filter.",
      })
      const [archived] = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM pages WHERE page_curation_status = 'Archived'`
      expect(archived?.count).toBe(0)
    }),
  )
})
