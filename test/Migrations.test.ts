import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { migrate } from "../src/Sql.js"
import { TestDatabaseLive } from "./support/TestDatabase.js"

it.layer(TestDatabaseLive)("migrations", (it) => {
  it.effect("create the SPEC schema on a blank database", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const tables = yield* sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
      expect(tables.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(["contacts", "domains", "pages", "social_profiles"]),
      )
      const enums = yield* sql<{ name: string; labels: string }>`
        SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`
      expect(enums).toEqual([
        { name: "contact_email_type", labels: "SERVICE,CORPORATE,FREE,UNKNOWN" },
        { name: "contact_phone_type", labels: "BUSINESS,PERSONAL,UNKNOWN" },
        { name: "page_curation_status", labels: "New,Selected,Rejected,Skipped,Archived" },
        { name: "page_processing_status", labels: "Queued,Processing,Complete,Error,Filtered" },
      ])
    }),
  )

  it.effect("re-running applies nothing and keeps the data", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO domains (domain) VALUES ('kept.example')`
      expect(yield* migrate).toEqual([])
      expect(yield* migrate).toEqual([])
      const [row] = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM domains`
      expect(row?.count).toBe(1)
    }),
  )

  it.effect("keep one email and one phone per domain", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const [domain] = yield* sql<{
        id: string
      }>`INSERT INTO domains (domain) VALUES ('dup.example') RETURNING id`
      const [page] = yield* sql<{ id: string }>`
        INSERT INTO pages (domain_id, url) VALUES (${domain!.id}, 'https://dup.example/') RETURNING id`
      const insert = (email: string) =>
        sql`INSERT INTO contacts (page_id, domain_id, email, email_type, source)
            VALUES (${page!.id}, ${domain!.id}, ${email}, 'SERVICE', 'text')`
      yield* insert("info@dup.example")
      const duplicate = yield* Effect.either(insert("info@dup.example"))
      expect(duplicate._tag).toBe("Left")
    }),
  )
})
