import { Schema } from "effect"
import { PageId } from "./Page.js"

export const EmailType = Schema.Literal("SERVICE", "CORPORATE", "FREE", "UNKNOWN")
export type EmailType = typeof EmailType.Type

export const PhoneType = Schema.Literal("BUSINESS", "PERSONAL", "UNKNOWN")
export type PhoneType = typeof PhoneType.Type

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

// prettier-ignore
export const SocialPlatform = Schema.Literal(
  "linkedin", "facebook", "x", "instagram", "youtube", "tiktok", "pinterest",
)
export type SocialPlatform = typeof SocialPlatform.Type

export const ExtractedEmail = Schema.Struct({ value: Schema.String, type: EmailType, source: ContactSource })
export type ExtractedEmail = typeof ExtractedEmail.Type

/** `value` is E.164. */
export const ExtractedPhone = Schema.Struct({ value: Schema.String, type: PhoneType, source: ContactSource })
export type ExtractedPhone = typeof ExtractedPhone.Type

export const ExtractedSocial = Schema.Struct({
  platform: SocialPlatform,
  url: Schema.String,
  handle: Schema.String,
})
export type ExtractedSocial = typeof ExtractedSocial.Type

export const Contact = Schema.Struct({
  id: Schema.UUID,
  page_id: PageId,
  page_url: Schema.String,
  domain: Schema.String,
  business_name: Schema.NullOr(Schema.String),
  /** The profile URLs of the contact's domain (they belong to the business, not to one page). */
  social_profiles: Schema.Array(Schema.String),
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  email_type: Schema.NullOr(EmailType),
  phone_type: Schema.NullOr(PhoneType),
  source: Schema.String,
  created_at: Schema.Date,
}).annotations({ identifier: "Contact" })
export type Contact = typeof Contact.Type

export const SocialProfile = Schema.Struct({
  id: Schema.UUID,
  platform: Schema.String,
  url: Schema.String,
  handle: Schema.String,
  created_at: Schema.Date,
}).annotations({ identifier: "SocialProfile" })

export const Extraction = Schema.Struct({
  emails: Schema.Array(ExtractedEmail),
  phones: Schema.Array(ExtractedPhone),
  socials: Schema.Array(ExtractedSocial),
  businessName: Schema.optional(Schema.String),
})
export type Extraction = typeof Extraction.Type

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
