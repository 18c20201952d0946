import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The rollout settings the console changes without a restart: one row, and every change with its author. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE settings (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      concurrent_enabled boolean NOT NULL,
      rollout_percent integer NOT NULL CHECK (rollout_percent BETWEEN 0 AND 100),
      max_concurrency integer NOT NULL CHECK (max_concurrency >= 1),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    )`
  yield* sql`
    CREATE TABLE settings_history (
      id bigserial PRIMARY KEY,
      setting text NOT NULL,
      old_value text NOT NULL,
      new_value text NOT NULL,
      changed_by text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`CREATE INDEX settings_history_changed_idx ON settings_history (changed_at DESC, id DESC)`
})
