import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The fleet: a `nodes` row per daemon or drain, refreshed at each heartbeat; the one `fleet` row holds what
 * they share: the account's concurrency limit, its AIMD value after 429s, and the credits pause.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE nodes (
      id text PRIMARY KEY,
      host text NOT NULL,
      pid integer NOT NULL,
      version text NOT NULL,
      started_at timestamptz NOT NULL,
      heartbeat_at timestamptz NOT NULL,
      slots_held integer NOT NULL DEFAULT 0,
      share integer,
      effective_concurrency integer NOT NULL DEFAULT 0,
      in_flight integer NOT NULL DEFAULT 0,
      demand integer NOT NULL DEFAULT 0,
      paused_until timestamptz,
      pause_reason text
    )`
  yield* sql`CREATE INDEX nodes_heartbeat_idx ON nodes (heartbeat_at)`
  yield* sql`
    CREATE TABLE fleet (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      account_limit integer CHECK (account_limit > 0),
      shared_limit integer CHECK (shared_limit > 0),
      halved_at timestamptz,
      paused_until timestamptz,
      pause_reason text,
      paused_by text
    )`
  yield* sql`INSERT INTO fleet DEFAULT VALUES`
})
