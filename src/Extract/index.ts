import type { CountryCode } from "libphonenumber-js/max"
import type {
  ContactSource,
  ExtractedEmail,
  ExtractedPhone,
  ExtractedSocial,
  Extraction,
} from "../Domain/Contact.js"
import { emailsInText, emailType, mailtoEmails } from "./Emails.js"
import { parseHtml } from "./Html.js"
import { labelOf, makePhoneParser, phonesInText, phoneType, type PhoneParser } from "./Phones.js"
import { phoneRegions } from "./Region.js"
import { socialProfile } from "./Socials.js"

export interface ExtractOptions {
  /** The page's address: its country TLD hints the region of national-format numbers. */
  readonly url?: string | undefined
  readonly defaultRegion: CountryCode
}

/** How much text before a number is read for its label ("Fax:", "Order no." …). */
const LABEL_WINDOW = 60

class Contacts {
  readonly emails = new Map<string, ExtractedEmail>()
  readonly phones = new Map<string, ExtractedPhone>()
  readonly socials = new Map<string, ExtractedSocial>()

  email(value: string, source: ContactSource) {
    if (!this.emails.has(value)) this.emails.set(value, { value, type: emailType(value), source })
  }

  phone(number: ReturnType<PhoneParser["parse"]>, source: ContactSource) {
    if (number !== undefined && !this.phones.has(number.number)) {
      this.phones.set(number.number, { value: number.number, type: phoneType(number), source })
    }
  }

  social(social: ExtractedSocial | undefined) {
    const key = social && `${social.platform}/${social.handle.toLowerCase()}`
    if (social !== undefined && key !== undefined && !this.socials.has(key)) this.socials.set(key, social)
  }
}

const telNumber = (href: string): string | undefined => {
  const match = /^\s*(?:tel|callto):(.*)$/i.exec(href)
  if (match === null) return undefined
  try {
    return decodeURIComponent(match[1] ?? "").trim()
  } catch {
    return undefined
  }
}

/**
 * Contacts a person reading the page would find: emails, phone numbers (E.164) and social profiles.
 * Pure and linear in the size of the page.
 */
export const extract = (html: string, options: ExtractOptions): Extraction => {
  const page = parseHtml(html)
  const parser = makePhoneParser(phoneRegions(options.url, page.lang, options.defaultRegion))
  const contacts = new Contacts()

  // Text before each node, for the labels of numbers at the start of a node.
  const before: Array<string> = []
  let recent = ""
  for (const node of page.texts) {
    before.push(recent)
    recent = `${recent} ${node.text}`.slice(-LABEL_WINDOW)
  }

  for (const link of page.links) {
    for (const email of mailtoEmails(link.href)) contacts.email(email, "mailto")
    const tel = telNumber(link.href)
    if (tel !== undefined && labelOf(before[link.at] ?? recent) !== "fax") {
      contacts.phone(parser.parse(tel), "tel")
    }
    contacts.social(socialProfile(link.href))
  }
  page.texts.forEach((node, index) => {
    if (node.text.includes("@")) for (const email of emailsInText(node.text)) contacts.email(email, "text")
    for (const found of phonesInText(node.text, before[index] ?? "", parser)) {
      if (found.label !== "fax") contacts.phone(found.number, "text")
    }
  })
  return {
    emails: [...contacts.emails.values()],
    phones: [...contacts.phones.values()],
    socials: [...contacts.socials.values()],
  }
}
