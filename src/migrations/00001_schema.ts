import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  yield* sql`CREATE TYPE page_curation_status AS ENUM ('New', 'Selected', 'Rejected', 'Skipped', 'Archived')`
  yield* sql`CREATE TYPE page_processing_status AS ENUM ('Queued', 'Processing', 'Complete', 'Error', 'Filtered')`
  yield* sql`CREATE TYPE contact_email_type AS ENUM ('SERVICE', 'CORPORATE', 'FREE', 'UNKNOWN')`
  yield* sql`CREATE TYPE contact_phone_type AS ENUM ('BUSINESS', 'PERSONAL', 'UNKNOWN')`

  yield* sql`
    CREATE TABLE domains (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`

  yield* sql`
    CREATE TABLE pages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain_id uuid NOT NULL REFERENCES domains (id),
      url text NOT NULL UNIQUE,
      page_type text,
      page_curation_status page_curation_status NOT NULL DEFAULT 'New',
      page_processing_status page_processing_status,
      page_processing_error text,
      processing_attempts integer NOT NULL DEFAULT 0,
      selected_at timestamptz,
      processed_at timestamptz,
      contact_count integer,
      lease_owner text,
      lease_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`
  // The claim takes due queued pages, oldest selection first; the rescue looks for expired leases.
  yield* sql`CREATE INDEX pages_claim_idx ON pages (selected_at, id) WHERE page_processing_status = 'Queued'`
  yield* sql`CREATE INDEX pages_lease_idx ON pages (lease_expires_at) WHERE page_processing_status = 'Processing'`
  yield* sql`CREATE INDEX pages_curation_status_idx ON pages (page_curation_status, created_at)`
  yield* sql`CREATE INDEX pages_processing_status_idx ON pages (page_processing_status, created_at)`
  yield* sql`CREATE INDEX pages_domain_idx ON pages (domain_id)`
  yield* sql`CREATE INDEX pages_processed_at_idx ON pages (processed_at)`

  // Contacts and profiles belong to the page they were read on and, for uniqueness, to its domain.
  const ofPage = sql.literal(`id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      page_id uuid NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
      domain_id uuid NOT NULL REFERENCES domains (id)`)
  yield* sql`
    CREATE TABLE contacts (
      ${ofPage},
      email text,
      phone text,
      email_type contact_email_type,
      phone_type contact_phone_type,
      source text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((email IS NULL) <> (phone IS NULL))
    )`
  yield* sql`CREATE UNIQUE INDEX contacts_domain_email_key ON contacts (domain_id, email) WHERE email IS NOT NULL`
  yield* sql`CREATE UNIQUE INDEX contacts_domain_phone_key ON contacts (domain_id, phone) WHERE phone IS NOT NULL`
  yield* sql`CREATE INDEX contacts_page_idx ON contacts (page_id)`
  yield* sql`CREATE INDEX contacts_created_at_idx ON contacts (created_at)`

  yield* sql`
    CREATE TABLE social_profiles (
      ${ofPage},
      platform text NOT NULL,
      url text NOT NULL,
      handle text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (domain_id, platform, handle)
    )`
  yield* sql`CREATE INDEX social_profiles_page_idx ON social_profiles (page_id)`

  // Workers LISTEN on wf7_pages_queued: any statement that queues pages wakes them, once per statement.
  yield* sql`
    CREATE FUNCTION wf7_notify_queued() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM changed WHERE page_processing_status = 'Queued') THEN
        PERFORM pg_notify('wf7_pages_queued', 'queued');
      END IF;
      RETURN NULL;
    END $$`
  yield* sql`
    CREATE TRIGGER pages_queued_on_insert AFTER INSERT ON pages
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf7_notify_queued()`
  yield* sql`
    CREATE TRIGGER pages_queued_on_update AFTER UPDATE ON pages
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wf7_notify_queued()`
})
