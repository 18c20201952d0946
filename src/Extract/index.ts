import type { CountryCode, PhoneNumber } from "libphonenumber-js/max"
import type { ContactSource, ExtractedEmail, ExtractedPhone, Extraction } from "../Domain/Contact.js"
import { businessName } from "./BusinessName.js"
import { emailsInText, emailType, mailtoEmails } from "./Emails.js"
import { parseHtml, type ParsedPage } from "./Html.js"
import { jsonLdContacts } from "./JsonLd.js"
import { cfProtectedLink, decodeCfEmail, obfuscatedEmails } from "./Obfuscation.js"
import { labelOf, phoneCandidates, type Label } from "./PhoneText.js"
import { makePhoneParser, phoneType } from "./Phones.js"
import { phoneRegions } from "./Region.js"
import { socialProfile } from "./Socials.js"

export interface ExtractOptions {
  /** The page's address: its country TLD hints the region of national-format numbers. */
  readonly url?: string | undefined
  readonly defaultRegion: CountryCode
}

/** How much text before a number is read for its label ("Fax:", "Order no." …). */
const LABEL_WINDOW = 60
/** Internationally written numbers consulted for the page's country. */
const COUNTRY_SAMPLE = 50

interface Found<A> {
  readonly value: A
  readonly source: ContactSource
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

interface FoundPhone<A> extends Found<A> {
  readonly label: Label
}

/** Phone candidates (not yet validated) in the same order; numbers labelled as fax are left out. */
const findPhoneCandidates = (page: ParsedPage, jsonLd: ReadonlyArray<string>): Array<FoundPhone<string>> => {
  // Text before each node, for the label of a number standing alone in its node.
  const before: Array<string> = []
  let recent = ""
  for (const text of page.texts) {
    before.push(recent)
    recent = `${recent} ${text}`.slice(-LABEL_WINDOW)
  }
  const found: Array<FoundPhone<string>> = []
  for (const link of page.links) {
    const tel = telNumber(link.href)
    const label = labelOf(before[link.at] ?? recent)
    if (tel !== undefined && label !== "fax") found.push({ value: tel, source: "tel", label })
  }
  for (const value of jsonLd)
    found.push({ value: telNumber(value) ?? value, source: "jsonld", label: "none" })
  for (const item of page.microdata) {
    if (item.prop === "telephone") {
      found.push({ value: telNumber(item.value) ?? item.value, source: "microdata", label: "none" })
    }
  }
  page.texts.forEach((text, index) => {
    for (const { candidate, label } of phoneCandidates(text, before[index] ?? "")) {
      if (label !== "fax") found.push({ value: candidate, source: "text", label })
    }
  })
  return found
}

const distinct = <A, K>(items: ReadonlyArray<A>, key: (item: A) => K): Array<A> => {
  const seen = new Map<K, A>()
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item)
  return [...seen.values()]
}

/**
 * Contacts a person reading the page would find: emails, phone numbers (E.164), social profiles and
 * the name of the business.
 * Pure and linear in the size of the page. A contact found several ways keeps its most explicit
 * source.
 */
export const extract = (html: string, options: ExtractOptions): Extraction => {
  const page = parseHtml(html)
  const jsonLd = jsonLdContacts(page.jsonLd)

  const emails = distinct(findEmails(page, jsonLd.emails), (email) => email.value).map(
    ({ value, source }): ExtractedEmail => ({ value, type: emailType(value), source }),
  )

  const candidates = findPhoneCandidates(page, jsonLd.telephones)
  let regions: ReadonlyArray<CountryCode> | undefined
  const parser = makePhoneParser(() => {
    if (regions !== undefined) return regions
    const numberCountries = candidates
      .filter(({ value }) => value.startsWith("+"))
      .slice(0, COUNTRY_SAMPLE)
      .flatMap(({ value }) => parser.parse(value)?.country ?? [])
    const hints = { url: options.url ?? page.canonical, lang: page.lang, numberCountries }
    return (regions = phoneRegions(hints, options.defaultRegion))
  })
  const numbers = candidates.flatMap(({ value, source, label }): Array<FoundPhone<PhoneNumber>> => {
    const number = parser.parse(value)
    return number === undefined ? [] : [{ value: number, source, label }]
  })
  const phones = distinct(numbers, (number) => number.value.number).map(
    ({ value, source, label }): ExtractedPhone => ({
      value: value.number,
      type: phoneType(value, label),
      source,
    }),
  )

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
