import { Schema } from "effect"

export const CurationStatus = Schema.Literal("New", "Selected", "Rejected", "Skipped", "Archived")
export type CurationStatus = typeof CurationStatus.Type

export const ProcessingStatus = Schema.Literal("Queued", "Processing", "Complete", "Error", "Filtered")
export type ProcessingStatus = typeof ProcessingStatus.Type

export const PageId = Schema.UUID.pipe(Schema.brand("PageId"))
export type PageId = typeof PageId.Type

export interface PageFilter {
  readonly page_curation_status?: CurationStatus | undefined
  readonly page_processing_status?: ProcessingStatus | undefined
  /** Case-insensitive literal substring of the URL (`%` and `_` are plain characters). */
  readonly url_contains?: string | undefined
  readonly page_type?: string | undefined
  readonly domain?: string | undefined
}

export interface StatusChange {
  readonly updated: number
  readonly queued: number
}

export const Page = Schema.Struct({
  id: PageId,
  url: Schema.String,
  domain: Schema.String,
  page_type: Schema.NullOr(Schema.String),
  business_name: Schema.NullOr(Schema.String),
  page_curation_status: CurationStatus,
  page_processing_status: Schema.NullOr(ProcessingStatus),
  page_processing_error: Schema.NullOr(Schema.String),
  processing_attempts: Schema.Int,
  contact_count: Schema.NullOr(Schema.Int),
  contacts_dropped: Schema.NullOr(Schema.Int),
  selected_at: Schema.NullOr(Schema.Date),
  processed_at: Schema.NullOr(Schema.Date),
  created_at: Schema.Date,
  updated_at: Schema.Date,
  credits_spent: Schema.Int,
  fetched_with: Schema.NullOr(Schema.String),
  render_reason: Schema.NullOr(Schema.String),
}).annotations({ identifier: "Page" })
export type Page = typeof Page.Type

/** A PageId read back from a `uuid` column: Postgres has checked its form, so the pattern is not run again. */
const StoredPageId = Schema.String.pipe(Schema.brand("PageId"))

/** A page a worker holds (writes are fenced on `lease_owner`); lean, as a claim decodes a thousand. */
export const ClaimedPage = Schema.Struct({
  id: StoredPageId,
  url: Schema.String,
  domain_id: Schema.String,
  processing_attempts: Schema.Number,
  selected_at: Schema.NullOr(Schema.DateFromSelf),
  lease_owner: Schema.String,
  /** The domain needed rendering before (WF7_RENDER=auto): read with the claim, not per page. */
  render_first: Schema.Boolean,
})
export type ClaimedPage = typeof ClaimedPage.Type
