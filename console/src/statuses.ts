import type { Contact, Page } from "./types.js"

/** The values the filters offer, checked against the API's types so a renamed status fails to build. */
export const curationStatuses = [
  "New",
  "Selected",
  "Rejected",
  "Skipped",
  "Archived",
] as const satisfies ReadonlyArray<Page["page_curation_status"]>

export const processingStatuses = [
  "Queued",
  "Processing",
  "Complete",
  "Error",
  "Filtered",
] as const satisfies ReadonlyArray<NonNullable<Page["page_processing_status"]>>

export const emailTypes = ["SERVICE", "CORPORATE", "FREE", "UNKNOWN"] as const satisfies ReadonlyArray<
  NonNullable<Contact["email_type"]>
>

export const phoneTypes = ["BUSINESS", "PERSONAL", "UNKNOWN"] as const satisfies ReadonlyArray<
  NonNullable<Contact["phone_type"]>
>
