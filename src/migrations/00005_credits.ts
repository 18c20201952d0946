import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** ScraperAPI credits: each page's cost and fetch, each UTC day's cost, the domains that need rendering. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE pages ADD COLUMN credits_spent integer NOT NULL DEFAULT 0,
    ADD COLUMN fetched_with text, ADD COLUMN render_reason text`
  yield* sql`ALTER TABLE domains ADD COLUMN render_first boolean NOT NULL DEFAULT false`
  yield* sql`CREATE TABLE credits_daily (day date PRIMARY KEY, credits bigint NOT NULL DEFAULT 0)`
})
