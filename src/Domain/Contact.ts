import { Schema } from "effect"
import { PageId } from "./Page.js"

export const EmailType = Schema.Literal("SERVICE", "CORPORATE", "FREE", "UNKNOWN")
export type EmailType = typeof EmailType.Type

export const PhoneType = Schema.Literal("BUSINESS", "PERSONAL", "UNKNOWN")
export type PhoneType = typeof PhoneType.Type

/** How a contact was found on the page. */
export const ContactSource = Schema.Literal(
  "mailto",
  "text",
  "tel",
  "jsonld",
  "cfemail",
  "obfuscated",
  "microdata",
)
export type ContactSource = typeof ContactSource.Type

export const SocialPlatform = Schema.Literal(
  "linkedin",
  "facebook",
  "x",
  "instagram",
  "youtube",
  "tiktok",
  "pinterest",
)
export type SocialPlatform = typeof SocialPlatform.Type

export const ExtractedEmail = Schema.Struct({ value: Schema.String, type: EmailType, source: ContactSource })
export type ExtractedEmail = typeof ExtractedEmail.Type

/** `value` is E.164. */
export const ExtractedPhone = Schema.Struct({ value: Schema.String, type: PhoneType, source: ContactSource })
export type ExtractedPhone = typeof ExtractedPhone.Type

/** `url` is the canonical profile URL, `handle` the account name on the platform. */
export const ExtractedSocial = Schema.Struct({
  platform: SocialPlatform,
  url: Schema.String,
  handle: Schema.String,
})
export type ExtractedSocial = typeof ExtractedSocial.Type

/** A stored contact as the API and `wf7 contacts` show it, with its page and business. */
export const Contact = Schema.Struct({
  id: Schema.UUID,
  page_id: PageId,
  page_url: Schema.String,
  domain: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  email_type: Schema.NullOr(EmailType),
  phone_type: Schema.NullOr(PhoneType),
  source: Schema.String,
  created_at: Schema.Date,
  business_name: Schema.NullOr(Schema.String),
  /** The profile URLs of the contact's domain (they belong to the business, not to one page). */
  social_profiles: Schema.Array(Schema.String),
}).annotations({ identifier: "Contact" })
export type Contact = typeof Contact.Type

export const SocialProfile = Schema.Struct({
  id: Schema.UUID,
  platform: Schema.String,
  url: Schema.String,
  handle: Schema.String,
  created_at: Schema.Date,
}).annotations({ identifier: "SocialProfile" })

/** What one page yields: what the pipeline stores, and (but for the business name) what `wf7 extract` prints. */
export const Extraction = Schema.Struct({
  emails: Schema.Array(ExtractedEmail),
  phones: Schema.Array(ExtractedPhone),
  socials: Schema.Array(ExtractedSocial),
  /** The business the page belongs to, when the page names it. */
  businessName: Schema.optional(Schema.String),
})
export type Extraction = typeof Extraction.Type

/**
 * At most `max` of a page's contacts, emails first, then phones, then social profiles: a page that
 * lists thousands is stored in part, and how many were left out is counted.
 */
export const capContacts = (extraction: Extraction, max: number): { kept: Extraction; dropped: number } => {
  const emails = extraction.emails.slice(0, max)
  const phones = extraction.phones.slice(0, max - emails.length)
  const socials = extraction.socials.slice(0, max - emails.length - phones.length)
  const found = extraction.emails.length + extraction.phones.length + extraction.socials.length
  return {
    kept: { ...extraction, emails, phones, socials },
    dropped: found - emails.length - phones.length - socials.length,
  }
}
