import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Layer, Logger, Schema } from "effect"
import { Contact } from "../../src/Domain/Contact.js"
import { callApi, type ContactListParams, httpTestLayer, json, listContacts } from "../support/Http.js"

const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO domains (domain) VALUES ('alpha.example'), ('beta.example')`
  yield* sql`
    INSERT INTO pages (domain_id, url)
    SELECT id, 'https://' || domain || '/contact?a=1,b="2"' FROM domains`
  // Values that need CSV quoting: commas, quotes, a line break; and an older contact for `since`.
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, email, phone, email_type, phone_type, source, created_at)
    SELECT p.id, p.domain_id, v.email, v.phone, v.email_type::contact_email_type,
           v.phone_type::contact_phone_type, v.source, v.created_at::timestamptz
    FROM pages p JOIN domains d ON d.id = p.domain_id
    JOIN (VALUES
      ('alpha.example', 'info@alpha.example', NULL, 'SERVICE', NULL, 'mailto', '2024-01-01T00:00:00Z'),
      ('alpha.example', '"smith, jo"@alpha.example', NULL, 'CORPORATE', NULL, 'text', '2024-06-01T12:00:00Z'),
      ('alpha.example', NULL, '+14155550123', NULL, 'BUSINESS', 'tel', '2024-06-02T08:30:00.123Z'),
      ('beta.example', 'someone@gmail.com', NULL, 'FREE', NULL, E'json\\nld', '2024-06-03T00:00:00Z')
    ) AS v (domain, email, phone, email_type, phone_type, source, created_at) ON v.domain = d.domain`
  // What a sales team's export adds: the business's name and its profiles, both read from its pages.
  yield* sql`UPDATE pages SET business_name = '=Alpha, "Ltd"' WHERE url LIKE 'https://alpha.example/%'`
  yield* sql`
    INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
    SELECT p.id, p.domain_id, v.platform, v.url, v.handle
    FROM pages p, (VALUES
      ('linkedin', 'https://www.linkedin.com/company/alpha', 'alpha'),
      ('x', 'https://x.com/alpha', 'alpha')
    ) AS v (platform, url, handle)
    WHERE p.url LIKE 'https://alpha.example/%'`
})

/** CSV rows as plain records of their cells. */
const csvRows = (text: string) =>
  Schema.decodeUnknownSync(Schema.Array(Schema.Record({ key: Schema.String, value: Schema.String })))(
    parse(text, { columns: true }),
  )

/** The CSV read back as the API's contacts: empty cells are nulls, formula escapes undone, lists split. */
const parseCsv = (text: string) =>
  Schema.decodeUnknownSync(Schema.Array(Contact))(
    csvRows(text).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, cell]) => {
          const value = cell.replace(/^'(?=[=+\-@\t\r])/, "")
          if (key === "social_profiles") return [key, value === "" ? [] : value.split("; ")]
          return [key, value === "" ? null : value]
        }),
      ),
    ),
  )

/** The body of a CSV export: text, not a schema the client decodes. */
const csv = (path: string) =>
  callApi(path).pipe(Effect.flatMap((response) => Effect.promise(() => response.text())))

it.layer(httpTestLayer())("HTTP API: contacts", (it) => {
  it.effect("lists contacts with filters, paging and the total", () =>
    Effect.gen(function* () {
      yield* seed
      const all = yield* listContacts()
      expect(all.total).toBe(4)
      expect(all.items[0]).toMatchObject({
        domain: "alpha.example",
        page_url: 'https://alpha.example/contact?a=1,b="2"',
        email: "info@alpha.example",
        phone: null,
        email_type: "SERVICE",
        phone_type: null,
        source: "mailto",
        created_at: new Date("2024-01-01T00:00:00.000Z"),
        business_name: '=Alpha, "Ltd"',
        social_profiles: ["https://www.linkedin.com/company/alpha", "https://x.com/alpha"],
      })
      const emails = (filter: Partial<ContactListParams>) =>
        Effect.map(listContacts(filter), (list) => list.items.map((contact) => contact.email))
      expect(yield* emails({ domain: "WWW.Beta.example" })).toEqual(["someone@gmail.com"])
      expect(yield* emails({ email_type: "CORPORATE" })).toEqual(['"smith, jo"@alpha.example'])
      const recent = yield* listContacts({ since: new Date("2024-06-02T00:00:00Z") })
      expect(recent.total).toBe(2)
      const [first, second] = all.items
      if (first === undefined) return expect.fail("no contact listed")
      const byPage = yield* listContacts({ page_id: first.page_id, limit: 1, offset: 1 })
      expect(byPage).toEqual({ items: [second], total: 3 })
    }),
  )

  it.effect("the CSV export parses back to the same rows as the JSON list", () =>
    Effect.gen(function* () {
      // Raw: the CSV's status, content type and header line are the contract, not a decoded value.
      const response = yield* callApi("/api/v3/contacts.csv")
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/)
      const text = yield* Effect.promise(() => response.text())
      expect(text.split("\n")[0]).toBe(
        "id,page_id,page_url,domain,email,phone,email_type,phone_type,source,created_at,business_name,social_profiles",
      )
      expect(parseCsv(text)).toEqual((yield* listContacts()).items)

      const filteredRows = parseCsv(
        yield* csv("/api/v3/contacts.csv?domain=alpha.example&since=2024-06-01T00:00:00Z"),
      )
      const filteredList = yield* listContacts({
        domain: "alpha.example",
        since: new Date("2024-06-01T00:00:00Z"),
      })
      expect(filteredRows).toHaveLength(2)
      expect(filteredRows).toEqual(filteredList.items)
    }),
  )

  it.effect("a CSV export of more rows than one cursor read holds every row once", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO domains (domain) VALUES ('many.example')`
      yield* sql`INSERT INTO pages (domain_id, url) SELECT id, 'https://many.example/' FROM domains WHERE domain = 'many.example'`
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source)
        SELECT p.id, p.domain_id, 'person' || n || '@many.example', 'CORPORATE', 'text'
        FROM pages p, generate_series(1, 1000) AS n WHERE p.url = 'https://many.example/'`
      const rows = parseCsv(yield* csv("/api/v3/contacts.csv?domain=many.example"))
      expect(rows).toHaveLength(1000)
      expect(new Set(rows.map((row) => row.email)).size).toBe(1000)
    }),
  )

  it.effect("?group=domain gives one row per business with all its emails, phones and profiles", () =>
    Effect.gen(function* () {
      const response = yield* callApi("/api/v3/contacts.csv?group=domain&since=2024-01-01T00:00:00Z")
      expect(response.status).toBe(200)
      const text = yield* Effect.promise(() => response.text())
      expect(text.split("\n")[0]).toBe("domain,business_name,emails,phones,social_profiles,page_urls")
      const seeded = csvRows(text).filter((row) =>
        ["alpha.example", "beta.example"].includes(row.domain ?? ""),
      )
      expect(seeded).toEqual([
        {
          domain: "alpha.example",
          business_name: `'=Alpha, "Ltd"`,
          emails: '"smith, jo"@alpha.example; info@alpha.example',
          phones: "'+14155550123",
          social_profiles: "https://www.linkedin.com/company/alpha; https://x.com/alpha",
          page_urls: 'https://alpha.example/contact?a=1,b="2"',
        },
        {
          domain: "beta.example",
          business_name: "",
          emails: "someone@gmail.com",
          phones: "",
          social_profiles: "",
          page_urls: 'https://beta.example/contact?a=1,b="2"',
        },
      ])
      const rows = csvRows(
        yield* csv("/api/v3/contacts.csv?group=domain&email_type=CORPORATE&domain=alpha.example"),
      )
      expect(rows).toMatchObject([
        { domain: "alpha.example", emails: '"smith, jo"@alpha.example', phones: "" },
      ])
      // Raw: the typed client would refuse to send what the server must refuse.
      const unknown = yield* callApi("/api/v3/contacts.csv?group=page").pipe(Effect.flatMap(json))
      expect(unknown).toEqual({
        status: 400,
        body: { error: "InvalidRequest", message: 'group: Expected one of "domain", actual "page"' },
      })
    }),
  )

  it.effect("an out-of-range since is refused with 400, in the CSV export as in the list", () =>
    Effect.gen(function* () {
      // Raw: the typed client would refuse to send what the server must refuse.
      for (const path of ["/api/v3/contacts.csv", "/api/v3/contacts"]) {
        const answer = yield* callApi(`${path}?since=-271821-04-20T00:00:00Z`).pipe(Effect.flatMap(json))
        expect(answer).toEqual({
          status: 400,
          body: {
            error: "InvalidRequest",
            message: "since: must be a date between 1970-01-01 and 9999-12-31",
          },
        })
      }
    }),
  )

  it.effect("cells a spreadsheet would run as formulas are escaped with a leading quote", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO domains (domain) VALUES ('formula.example')`
      yield* sql`
        INSERT INTO pages (domain_id, url)
        SELECT id, 'https://formula.example/' FROM domains WHERE domain = 'formula.example'`
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source)
        SELECT p.id, p.domain_id, v.email, 'UNKNOWN', v.source
        FROM pages p, (VALUES
          ('=HYPERLINK("http://evil.example")@formula.example', '+cmd'),
          ('-2+3@formula.example', '@SUM(A1)'),
          ('plain@formula.example', E'\tdata'),
          ('other@formula.example', E'\rdata')
        ) AS v (email, source)
        WHERE p.url = 'https://formula.example/'`
      const rows = csvRows(yield* csv("/api/v3/contacts.csv?domain=formula.example")).map((row) => [
        row.email,
        row.source,
      ])
      expect(rows.sort()).toEqual([
        ["'-2+3@formula.example", "'@SUM(A1)"],
        [`'=HYPERLINK("http://evil.example")@formula.example`, "'+cmd"],
        ["other@formula.example", "'\rdata"],
        ["plain@formula.example", "'\tdata"],
      ])
    }),
  )
})

const logged: Array<{ level: string; message: string }> = []
const capture = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ logLevel, message }) =>
    logged.push({ level: logLevel.label, message: [message].flat().join(" ") }),
  ),
)

it.layer(httpTestLayer().pipe(Layer.provide(capture)))("HTTP API: a CSV export that fails", (it) => {
  it.effect("a failure mid-stream breaks the transfer instead of ending it cleanly, logged at ERROR", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO domains (domain) VALUES ('broken.example')`
      yield* sql`INSERT INTO pages (domain_id, url) SELECT id, 'https://broken.example/' FROM domains`
      // 299 good rows, read in batches of 128, then one whose date no export can write.
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
        SELECT p.id, p.domain_id, 'person' || n || '@broken.example', 'CORPORATE', 'text',
               CASE WHEN n = 300 THEN 'infinity'::timestamptz ELSE now() END
        FROM pages p, generate_series(1, 300) AS n`
      // Raw: what matters is how the transfer ends, which a decoded answer cannot show.
      const response = yield* callApi("/api/v3/contacts.csv")
      expect(response.status).toBe(200)
      const body = yield* Effect.promise(() => response.text().then(String, (error: unknown) => error))
      expect(body).toBeInstanceOf(Error)
      expect(logged).toContainEqual({
        level: "ERROR",
        message: "CSV export failed mid-stream; the response is aborted",
      })
    }),
  )
})
