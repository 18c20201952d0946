import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { mainJs, runOnTestDatabase } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/** `wf7 contacts` as a real process: the same export as contacts.csv, to stdout. */

const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO domains (domain) VALUES ('alpha.example'), ('beta.example')`
  yield* sql`INSERT INTO pages (domain_id, url, business_name)
    SELECT id, 'https://' || domain || '/contact', CASE domain WHEN 'alpha.example' THEN 'Alpha Ltd' END FROM domains`
  yield* sql`
    INSERT INTO contacts (page_id, domain_id, email, phone, email_type, phone_type, source, created_at)
    SELECT p.id, p.domain_id, v.email, v.phone, v.email_type::contact_email_type,
           v.phone_type::contact_phone_type, 'text', v.created_at::timestamptz
    FROM pages p JOIN domains d ON d.id = p.domain_id
    JOIN (VALUES
      ('alpha.example', 'info@alpha.example', NULL, 'SERVICE', NULL, '2024-01-01T00:00:00Z'),
      ('alpha.example', NULL, '+14155550123', NULL, 'BUSINESS', '2024-01-02T00:00:00Z'),
      ('beta.example', 'someone@gmail.com', NULL, 'FREE', NULL, '2024-01-03T00:00:00Z')
    ) AS v (domain, email, phone, email_type, phone_type, created_at) ON v.domain = d.domain`
  yield* sql`INSERT INTO social_profiles (page_id, domain_id, platform, url, handle)
    SELECT p.id, p.domain_id, 'x', 'https://x.com/alpha', 'alpha' FROM pages p WHERE p.url LIKE '%alpha%'`
})

const contacts = (...args: Array<string>) => runOnTestDatabase(["contacts", ...args])

it.layer(TestDatabaseLive, { timeout: 120_000 })("wf7 contacts", (it) => {
  it.effect("--csv exports every contact as contacts.csv does, formulas escaped; --domain filters", () =>
    Effect.gen(function* () {
      yield* seed
      const result = yield* contacts("--csv")
      expect(result.code).toBe(0)
      expect(result.stdout.split("\n")[0]).toBe(
        "id,page_id,page_url,domain,email,phone,email_type,phone_type,source,created_at,business_name,social_profiles",
      )
      expect(parse(result.stdout, { columns: true })).toMatchObject([
        { domain: "alpha.example", email: "info@alpha.example", business_name: "Alpha Ltd" },
        { domain: "alpha.example", phone: "'+14155550123", social_profiles: "https://x.com/alpha" },
        { domain: "beta.example", email: "someone@gmail.com", business_name: "", social_profiles: "" },
      ])
      const beta = yield* contacts("--csv", "--domain", "beta.example")
      expect(parse(beta.stdout, { columns: true })).toMatchObject([{ email: "someone@gmail.com" }])
    }),
  )

  it.effect("--group domain gives one row per business; --json gives one JSON object per line", () =>
    Effect.gen(function* () {
      const grouped = yield* contacts("--csv", "--group", "domain")
      expect(parse(grouped.stdout, { columns: true })).toEqual([
        {
          domain: "alpha.example",
          business_name: "Alpha Ltd",
          emails: "info@alpha.example",
          phones: "'+14155550123",
          social_profiles: "https://x.com/alpha",
          page_urls: "https://alpha.example/contact",
        },
        {
          domain: "beta.example",
          business_name: "",
          emails: "someone@gmail.com",
          phones: "",
          social_profiles: "",
          page_urls: "https://beta.example/contact",
        },
      ])
      const lines = (yield* contacts("--json")).stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
      expect(lines.map((contact) => contact.email ?? contact.phone)).toEqual([
        "info@alpha.example",
        "+14155550123",
        "someone@gmail.com",
      ])
      const businesses = (yield* contacts("--json", "--group", "domain")).stdout.trim().split("\n")
      expect(JSON.parse(businesses[0]!)).toMatchObject({ domain: "alpha.example", phones: ["+14155550123"] })
    }),
  )

  it.effect("a table by default, cut by --limit; --csv with --json is refused", () =>
    Effect.gen(function* () {
      const shown = yield* contacts("--limit", "2")
      expect(shown.code).toBe(0)
      expect(shown.stdout.split("\n").filter((line) => line !== "")).toEqual([
        "  domain         contact             type      source  business",
        "  alpha.example  info@alpha.example  SERVICE   text    Alpha Ltd",
        "  alpha.example  +14155550123        BUSINESS  text    Alpha Ltd",
        "2 of 3 contacts shown; --limit shows up to 1000, --csv exports all",
      ])
      const both = yield* contacts("--csv", "--json")
      expect(both.code).toBe(64)
      expect(both.stderr).toContain("choose one of --csv and --json")
    }),
  )

  it.effect("an export whose reader stops early (| head) ends quietly", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source)
        SELECT p.id, p.domain_id, 'bulk' || n || '@beta.example', 'CORPORATE', 'text'
        FROM pages p, generate_series(1, 5000) AS n WHERE p.url LIKE '%beta%'`
      const database = yield* TestDatabase
      // More than a pipe holds: the export is still writing when its reader goes away.
      const result = yield* Effect.promise(
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [mainJs, "contacts", "--csv"], {
              env: { PATH: process.env.PATH ?? "", WF7_LOG_FORMAT: "json", DATABASE_URL: database.url },
            })
            let stderr = ""
            child.stderr.on("data", (chunk) => (stderr += chunk))
            child.stdout.once("data", () => child.stdout.destroy())
            child.on("close", (code) => resolve({ code, stderr }))
          }),
      )
      expect(result).toEqual({ code: 0, stderr: "" })
    }),
  )

  // Last: the row it adds breaks every later export.
  it.effect("an export that fails part-way exits 1 and says its output is incomplete", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`
        INSERT INTO contacts (page_id, domain_id, email, email_type, source, created_at)
        SELECT p.id, p.domain_id, 'person' || n || '@alpha.example', 'CORPORATE', 'text',
               CASE WHEN n = 300 THEN 'infinity'::timestamptz ELSE now() END
        FROM pages p, generate_series(1, 300) AS n WHERE p.url LIKE '%alpha%'`
      const result = yield* contacts("--csv")
      expect(result.code).toBe(1)
      expect(result.stdout).toContain("person1@alpha.example")
      expect(result.stderr).toContain("wf7: the export stopped part-way and its output is incomplete")
    }),
  )
})
