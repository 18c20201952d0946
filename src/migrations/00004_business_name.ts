import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The business a page belongs to, as the page names it (title, og:site_name, JSON-LD), for exports. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE pages ADD COLUMN business_name text`
})
