import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * ScraperAPI credits: what each page cost and how it was fetched (plain, rendered, or plain then
 * rendered, and why), what each UTC day cost (the daily budget), and the domains that need rendering.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE pages ADD COLUMN credits_spent integer NOT NULL DEFAULT 0,
    ADD COLUMN fetched_with text, ADD COLUMN render_reason text`
  yield* sql`ALTER TABLE domains ADD COLUMN render_first boolean NOT NULL DEFAULT false`
  yield* sql`CREATE TABLE credits_daily (day date PRIMARY KEY, credits bigint NOT NULL DEFAULT 0)`
})
