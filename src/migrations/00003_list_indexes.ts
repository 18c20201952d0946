import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Indexes in the API's list orders (pages by created_at, url; contacts by created_at, id), so a page of
 * a list reads in order and stops instead of sorting every match. Each replaced index prefixes its successor.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  yield* sql`CREATE INDEX pages_list_idx ON pages (created_at, url)`
  yield* sql`CREATE INDEX pages_curation_list_idx ON pages (page_curation_status, created_at, url)`
  yield* sql`CREATE INDEX pages_processing_list_idx ON pages (page_processing_status, created_at, url)`
  yield* sql`DROP INDEX pages_curation_status_idx`
  yield* sql`DROP INDEX pages_processing_status_idx`

  yield* sql`CREATE INDEX contacts_list_idx ON contacts (created_at, id)`
  yield* sql`CREATE INDEX contacts_page_list_idx ON contacts (page_id, created_at, id)`
  yield* sql`CREATE INDEX contacts_domain_list_idx ON contacts (domain_id, created_at, id)`
  yield* sql`DROP INDEX contacts_created_at_idx`
  yield* sql`DROP INDEX contacts_page_idx`
})
