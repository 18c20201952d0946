import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { call, callApi, httpTestLayer, json, testEnv } from "../support/Http.js"

/** What the console's tables ask of the API: filters, orders, counts before a change, page detail. */

const get = (path: string) => callApi(path).pipe(Effect.flatMap(json))
const urlsOf = (body: { items: Array<{ url: string }> }) => body.items.map((page) => page.url)

const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* callApi("/api/v3/pages", {
    method: "POST",
    body: {
      urls: [
        "https://www.shop.example/b",
        "https://shop.example/a",
        "https://shop.example/c",
        "https://other.example/contact",
      ],
    },
  })
  yield* sql`UPDATE pages SET credits_spent = 11, fetched_with = 'plain+render', render_reason = 'no contacts in plain HTML'
             WHERE url = 'https://shop.example/a'`
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, email, phone, email_type, phone_type, source)
    SELECT p.id, p.domain_id, v.email, v.phone, v.email_type::contact_email_type, v.phone_type::contact_phone_type, 'text'
    FROM pages p JOIN (VALUES
      ('https://shop.example/a', 'sales@shop.example', NULL, 'SERVICE', NULL),
      ('https://shop.example/a', NULL, '+14155550100', NULL, 'BUSINESS'),
      ('https://shop.example/c', NULL, '+14155550199', NULL, 'PERSONAL'),
      ('https://other.example/contact', 'ceo@other.example', NULL, 'CORPORATE', NULL)
    ) AS v (url, email, phone, email_type, phone_type) ON v.url = p.url`
  yield* sql`
    INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
    SELECT id, domain_id, 'x', 'https://x.com/shop', 'shop' FROM pages WHERE url = 'https://shop.example/a'`
})

it.layer(httpTestLayer({ env: { ...testEnv, WF7_MAX_FILTERED_BATCH_SIZE: "2" } }))(
  "HTTP API: the console's filters",
  (it) => {
    it.effect("pages filter by domain (any spelling) and sort by an indexed column either way", () =>
      Effect.gen(function* () {
        yield* seed
        const shop = yield* get("/api/v3/pages?domain=WWW.Shop.example&sort=url&order=desc")
        expect(shop.status).toBe(200)
        expect(shop.body.total).toBe(3)
        expect(urlsOf(shop.body)).toEqual([
          "https://www.shop.example/b",
          "https://shop.example/c",
          "https://shop.example/a",
        ])
        // One import: the same created_at for all, so the URL decides, in the same direction.
        const last = yield* get("/api/v3/pages?order=desc&limit=1")
        expect(urlsOf(last.body)).toEqual(["https://www.shop.example/b"])
        const first = yield* get("/api/v3/pages?sort=created_at&order=asc&limit=1")
        expect(urlsOf(first.body)).toEqual(["https://other.example/contact"])
        const badSort = yield* get("/api/v3/pages?sort=page_processing_error")
        expect(badSort.status).toBe(400)
        expect(badSort.body.message).toContain('"created_at", "url"')
      }),
    )

    it.effect("pages/count says how many match and whether one filtered change may take them all", () =>
      Effect.gen(function* () {
        expect((yield* get("/api/v3/pages/count?domain=shop.example")).body).toEqual({
          matching: 3,
          max_filtered_batch_size: 2,
          exceeds_limit: true,
        })
        const other = yield* get("/api/v3/pages/count?domain=other.example&page_curation_status=New")
        expect(other.body).toEqual({ matching: 1, max_filtered_batch_size: 2, exceeds_limit: false })
        const select = yield* callApi("/api/v3/pages/status/filtered", {
          method: "PUT",
          body: { status: "Selected", domain: "other.example" },
        }).pipe(Effect.flatMap(json))
        expect(select.body).toEqual({ updated: 1, queued: 1 })
        expect((yield* get("/api/v3/pages/count?page_curation_status=Selected")).body.matching).toBe(1)
        expect((yield* call("/api/v3/pages/count")).status).toBe(401)
      }),
    )

    it.effect("a page's detail says how it was fetched, what it cost, and what was found on it", () =>
      Effect.gen(function* () {
        const [page] = (yield* get("/api/v3/pages?url_contains=shop.example/a")).body.items
        const detail = yield* get(`/api/v3/pages/${page.id}`)
        expect(detail.body).toMatchObject({
          url: "https://shop.example/a",
          processing_attempts: 0,
          page_processing_error: null,
          credits_spent: 11,
          fetched_with: "plain+render",
          render_reason: "no contacts in plain HTML",
        })
        expect(
          detail.body.contacts
            .map((contact: { email: string | null; phone: string | null }) => contact.email ?? contact.phone)
            .sort(),
        ).toEqual(["+14155550100", "sales@shop.example"])
        expect(detail.body.social_profiles).toMatchObject([{ platform: "x", handle: "shop" }])
      }),
    )

    it.effect("contacts search and filter by kind and type; the CSV of a filter has exactly its rows", () =>
      Effect.gen(function* () {
        const values = (body: { items: Array<{ email: string | null; phone: string | null }> }) =>
          body.items.map((contact) => contact.email ?? contact.phone).sort()
        const cases: Array<[string, Array<string>]> = [
          ["q=SALES", ["sales@shop.example"]],
          ["q=other.example", ["ceo@other.example"]],
          ["q=555", ["+14155550100", "+14155550199"]],
          ["kind=email", ["ceo@other.example", "sales@shop.example"]],
          ["kind=phone&domain=shop.example", ["+14155550100", "+14155550199"]],
          ["kind=social", ["+14155550100", "+14155550199", "sales@shop.example"]],
          ["phone_type=PERSONAL", ["+14155550199"]],
          ["q=%25", []],
        ]
        for (const [query, expected] of cases) {
          const list = yield* get(`/api/v3/contacts?${query}`)
          expect(values(list.body), query).toEqual(expected)
          expect(list.body.total, query).toBe(expected.length)
          const csv = yield* callApi(`/api/v3/contacts.csv?${query}`).pipe(
            Effect.flatMap((response) => Effect.promise(() => response.text())),
          )
          const rows = parse(csv, { columns: true }) as Array<{ email: string; phone: string }>
          // The CSV escapes a leading + (a spreadsheet formula) with a quote.
          const cells = rows.map((row) => (row.email || row.phone).replace(/^'\+/, "+"))
          expect(cells.sort(), query).toEqual(expected)
        }
        expect((yield* get("/api/v3/contacts?kind=fax")).status).toBe(400)
      }),
    )
  },
)
