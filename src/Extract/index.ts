import type { CountryCode } from "libphonenumber-js/max"
import type { ContactSource, ExtractedEmail, Extraction } from "../Domain/Contact.js"
import { businessName } from "./BusinessName.js"
import { emailsInText, emailType, mailtoEmails } from "./Emails.js"
import { parseHtml, type ParsedPage } from "./Html.js"
import { jsonLdContacts } from "./JsonLd.js"
import { cfProtectedLink, decodeCfEmail, obfuscatedEmails } from "./Obfuscation.js"
import { pagePhones } from "./PagePhones.js"
import { socialProfile } from "./Socials.js"

export interface ExtractOptions {
  /** The page's address: its country TLD hints the region of national-format numbers. */
  readonly url?: string | undefined
  readonly defaultRegion: CountryCode
}

interface Found<A> {
  readonly value: A
  readonly source: ContactSource
}

const emailValue = (raw: string): Array<string> =>
  /^\s*mailto:/i.test(raw) ? mailtoEmails(raw) : emailsInText(raw)

/** Emails in the order of how explicit their source is: links, Cloudflare, JSON-LD, microdata, text. */
const findEmails = (page: ParsedPage, jsonLd: ReadonlyArray<string>): Array<Found<string>> => {
  const found: Array<Found<string>> = []
  const add = (source: ContactSource) => (value: string | undefined) => {
    if (value !== undefined) found.push({ value, source })
  }
  for (const link of page.links) {
    mailtoEmails(link.href).forEach(add("mailto"))
    add("cfemail")(cfProtectedLink(link.href))
  }
  page.cfEmails.map(decodeCfEmail).forEach(add("cfemail"))
  jsonLd.flatMap(emailValue).forEach(add("jsonld"))
  for (const item of page.microdata) {
    if (item.prop === "email") emailValue(item.value).forEach(add("microdata"))
  }
  for (const text of page.texts) if (text.includes("@")) emailsInText(text).forEach(add("text"))
  for (const text of page.texts) obfuscatedEmails(text).forEach(add("obfuscated"))
  return found
}

const distinct = <A, K>(items: ReadonlyArray<A>, key: (item: A) => K): Array<A> => {
  const seen = new Map<K, A>()
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item)
  return [...seen.values()]
}

/** Contacts a person reading the page would find; pure, linear, each with its most explicit source. */
export const extract = (html: string, options: ExtractOptions): Extraction => {
  const page = parseHtml(html)
  const jsonLd = jsonLdContacts(page.jsonLd)

  const emails = distinct(findEmails(page, jsonLd.emails), (email) => email.value).map(
    ({ value, source }): ExtractedEmail => ({ value, type: emailType(value), source }),
  )

  const phones = pagePhones(page, jsonLd.telephones, options)

  const profiles = [...page.links.map((link) => link.href), ...jsonLd.sameAs].flatMap(
    (href) => socialProfile(href) ?? [],
  )
  const socials = distinct(profiles, (social) => `${social.platform}/${social.handle.toLowerCase()}`)
  const name = businessName({
    organizationNames: jsonLd.organizationNames,
    siteName: page.siteName,
    title: page.title,
    url: options.url ?? page.canonical,
  })
  return { emails, phones, socials, ...(name === undefined ? {} : { businessName: name }) }
}
