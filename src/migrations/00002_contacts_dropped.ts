import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** How many contacts a completed page had over WF7_MAX_CONTACTS_PER_PAGE, found but not stored. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE pages ADD COLUMN contacts_dropped integer`
})
