import { Schema } from "effect"

export const CurationStatus = Schema.Literal("New", "Selected", "Rejected", "Skipped", "Archived")
export type CurationStatus = typeof CurationStatus.Type

export const ProcessingStatus = Schema.Literal("Queued", "Processing", "Complete", "Error", "Filtered")
export type ProcessingStatus = typeof ProcessingStatus.Type

export const PageId = Schema.UUID.pipe(Schema.brand("PageId"))
export type PageId = typeof PageId.Type

/** The pages a curator means by "every page matching": each field narrows, absent fields do not. */
export interface PageFilter {
  readonly page_curation_status?: CurationStatus | undefined
  readonly page_processing_status?: ProcessingStatus | undefined
  /** Case-insensitive literal substring of the URL (`%` and `_` are plain characters). */
  readonly url_contains?: string | undefined
  readonly page_type?: string | undefined
  /** The page's domain, as stored: the host without `www.` (case and a leading `www.` are ignored). */
  readonly domain?: string | undefined
}

/** How many pages a status change touched, and how many of them it put in the queue. */
export interface StatusChange {
  readonly updated: number
  readonly queued: number
}
