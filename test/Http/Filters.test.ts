import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Schema } from "effect"
import {
  apiClient,
  call,
  callApi,
  type ContactListParams,
  httpTestLayer,
  importUrls,
  json,
  listContacts,
  listPages,
  testEnv,
} from "../support/Http.js"

/** What the console's tables ask of the API: filters, orders, counts before a change, page detail. */

const urlsOf = (list: { readonly items: ReadonlyArray<{ readonly url: string }> }) =>
  list.items.map((page) => page.url)

const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* importUrls([
    "https://www.shop.example/b",
    "https://shop.example/a",
    "https://shop.example/c",
    "https://other.example/contact",
  ])
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
        const shop = yield* listPages({ domain: "WWW.Shop.example", sort: "url", order: "desc" })
        expect(shop.total).toBe(3)
        expect(urlsOf(shop)).toEqual([
          "https://www.shop.example/b",
          "https://shop.example/c",
          "https://shop.example/a",
        ])
        // One import: the same created_at for all, so the URL decides, in the same direction.
        const last = yield* listPages({ order: "desc", limit: 1 })
        expect(urlsOf(last)).toEqual(["https://www.shop.example/b"])
        const first = yield* listPages({ sort: "created_at", order: "asc", limit: 1 })
        expect(urlsOf(first)).toEqual(["https://other.example/contact"])
        // Raw: the typed client would refuse to send what the server must refuse.
        const badSort = yield* callApi("/api/v3/pages?sort=page_processing_error").pipe(Effect.flatMap(json))
        expect(badSort).toMatchObject({
          status: 400,
          body: { message: expect.stringContaining('"created_at", "url"') },
        })
      }),
    )

    it.effect("pages/count says how many match and whether one filtered change may take them all", () =>
      Effect.gen(function* () {
        const api = yield* apiClient
        expect(yield* api.pages.count({ urlParams: { domain: "shop.example" } })).toEqual({
          matching: 3,
          max_filtered_batch_size: 2,
          exceeds_limit: true,
        })
        const other = yield* api.pages.count({
          urlParams: { domain: "other.example", page_curation_status: "New" },
        })
        expect(other).toEqual({ matching: 1, max_filtered_batch_size: 2, exceeds_limit: false })
        const select = yield* api.pages.setStatusFiltered({
          payload: { status: "Selected", domain: "other.example", all: false },
        })
        expect(select).toEqual({ updated: 1, queued: 1 })
        const selected = yield* api.pages.count({ urlParams: { page_curation_status: "Selected" } })
        expect(selected.matching).toBe(1)
        // Raw: without the token the typed client always sends.
        expect((yield* call("/api/v3/pages/count")).status).toBe(401)
      }),
    )

    it.effect("a page's detail says how it was fetched, what it cost, and what was found on it", () =>
      Effect.gen(function* () {
        const [page] = (yield* listPages({ url_contains: "shop.example/a" })).items
        if (page === undefined) return expect.fail("the page was not imported")
        const detail = yield* Effect.flatMap(apiClient, (api) => api.pages.get({ path: { id: page.id } }))
        expect(detail).toMatchObject({
          url: "https://shop.example/a",
          processing_attempts: 0,
          page_processing_error: null,
          credits_spent: 11,
          fetched_with: "plain+render",
          render_reason: "no contacts in plain HTML",
        })
        expect(detail.contacts.map((contact) => contact.email ?? contact.phone).sort()).toEqual([
          "+14155550100",
          "sales@shop.example",
        ])
        expect(detail.social_profiles).toMatchObject([{ platform: "x", handle: "shop" }])
      }),
    )

    it.effect("contacts search and filter by kind and type; the CSV of a filter has exactly its rows", () =>
      Effect.gen(function* () {
        const cases: Array<[Pick<ContactListParams, "q" | "kind" | "domain" | "phone_type">, Array<string>]> =
          [
            [{ q: "SALES" }, ["sales@shop.example"]],
            [{ q: "other.example" }, ["ceo@other.example"]],
            [{ q: "555" }, ["+14155550100", "+14155550199"]],
            [{ kind: "email" }, ["ceo@other.example", "sales@shop.example"]],
            [{ kind: "phone", domain: "shop.example" }, ["+14155550100", "+14155550199"]],
            [{ kind: "social" }, ["+14155550100", "+14155550199", "sales@shop.example"]],
            [{ phone_type: "PERSONAL" }, ["+14155550199"]],
            [{ q: "%" }, []],
          ]
        for (const [filter, expected] of cases) {
          const query = new URLSearchParams(Object.entries(filter)).toString()
          const list = yield* listContacts(filter)
          expect(list.items.map((contact) => contact.email ?? contact.phone).sort(), query).toEqual(expected)
          expect(list.total, query).toBe(expected.length)
          // Raw: the CSV is text, not a value the client decodes.
          const csv = yield* callApi(`/api/v3/contacts.csv?${query}`).pipe(
            Effect.flatMap((response) => Effect.promise(() => response.text())),
          )
          const rows = Schema.decodeUnknownSync(
            Schema.Array(Schema.Struct({ email: Schema.String, phone: Schema.String })),
          )(parse(csv, { columns: true }))
          // The CSV escapes a leading + (a spreadsheet formula) with a quote.
          const cells = rows.map((row) => (row.email || row.phone).replace(/^'\+/, "+"))
          expect(cells.sort(), query).toEqual(expected)
        }
        // Raw: the typed client would refuse to send what the server must refuse.
        expect((yield* callApi("/api/v3/contacts?kind=fax")).status).toBe(400)
      }),
    )
  },
)
