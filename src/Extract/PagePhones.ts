import type { CountryCode, PhoneNumber } from "libphonenumber-js/max"
import type { ContactSource, ExtractedPhone } from "../Domain/Contact.js"
import type { ParsedPage } from "./Html.js"
import { labelOf, phoneCandidates, type Label } from "./PhoneText.js"
import { makePhoneParser, phoneType } from "./Phones.js"
import { placeMentions } from "./Places.js"
import { countryOfLang, countryOfUrl, phoneRegions } from "./Region.js"
import { vanityNumbers } from "./Vanity.js"

const LABEL_WINDOW = 60
/** How far before a number a country or city name still names its block (a multi-office page's office). */
const BLOCK_WINDOW = 200
const COUNTRY_SAMPLE = 50
const LINK_SAMPLE = 200

interface Candidate {
  readonly value: string
  readonly fallback?: string | undefined
  readonly source: ContactSource
  readonly label: Label
  readonly block: CountryCode | undefined
}

const currencies: Record<string, CountryCode> = { "£": "GB", "€": "IE", "₹": "IN" }

const telNumber = (href: string): string | undefined => {
  const match = /^\s*(?:tel|callto):(?:\/\/)?(.*)$/i.exec(href)
  if (match === null) return undefined
  try {
    // Zero-width spaces left in by editors would cut the number short; digits after a pause
    // (",1": a menu option dialled once connected) are no extension.
    return decodeURIComponent(match[1] ?? "")
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
      .replace(/,.*$/, "")
      .trim()
  } catch {
    return undefined
  }
}

// A contact page's lone digit run is its number (`<h2>7185264410</h2>`); elsewhere it is an id.
const contactPage = (url: string | undefined, title: string | undefined) =>
  /contact|kontakt|get-in-touch|reach-us/i.test(url ?? "") || /contact/i.test(title ?? "")

/** E.164, with the extension as in a `tel:` URI: `+19164412290;ext=305`. */
const e164 = (number: PhoneNumber) =>
  number.ext === undefined ? number.number : `${number.number};ext=${number.ext}`

/** Each number read in its block's country, else the page's; found twice, it keeps its first source. */
export const pagePhones = (
  page: ParsedPage,
  telephones: ReadonlyArray<string>,
  options: { readonly url?: string | undefined; readonly defaultRegion: CountryCode },
): Array<ExtractedPhone> => {
  const url = options.url ?? page.canonical
  // Per text node: the text before it (for labels), and the country named nearest before it.
  const before: Array<string> = []
  const blocks: Array<CountryCode | undefined> = []
  const mentions = page.texts.map(placeMentions)
  let recent = ""
  let named: CountryCode | undefined
  let sinceNamed = Infinity
  page.texts.forEach((text, index) => {
    before.push(recent)
    blocks.push(sinceNamed <= BLOCK_WINDOW ? named : undefined)
    recent = `${recent} ${text}`.slice(-LABEL_WINDOW)
    const last = mentions[index]?.at(-1)
    if (last !== undefined) [named, sinceNamed] = [last.country, text.length - last.end]
    else sinceNamed += text.length + 1
  })
  const blockAt = (index: number, at: number) =>
    mentions[index]?.findLast((mention) => mention.end <= at)?.country ?? blocks[index]

  const candidates: Array<Candidate> = []
  for (const link of page.links) {
    const tel = telNumber(link.href)
    if (tel === undefined) continue
    const label = labelOf(before[link.at] ?? recent)
    candidates.push({ value: tel, source: "tel", label, block: blocks[link.at] })
  }
  for (const value of telephones) {
    candidates.push({ value: telNumber(value) ?? value, source: "jsonld", label: "none", block: undefined })
  }
  for (const item of page.microdata) {
    if (item.prop === "telephone") {
      const value = telNumber(item.value) ?? item.value
      candidates.push({ value, source: "microdata", label: "none", block: undefined })
    }
  }
  const bareAlone = contactPage(url, page.title)
  page.texts.forEach((text, index) => {
    for (const { candidate, fallback, label, at } of phoneCandidates(text, {
      before: before[index] ?? "",
      bareAlone,
    })) {
      candidates.push({ value: candidate, fallback, source: "text", label, block: blockAt(index, at) })
    }
    for (const { digits, at } of vanityNumbers(text)) {
      const label = labelOf(`${before[index] ?? ""} ${text.slice(0, at)}`)
      if (label !== "fax")
        candidates.push({ value: digits, source: "text", label, block: blockAt(index, at) })
    }
  })

  const parser = makePhoneParser(() => {
    const numberCountries = candidates
      .filter(({ value }) => value.startsWith("+"))
      .slice(0, COUNTRY_SAMPLE)
      .flatMap(({ value }) => parser.parse(value)?.country ?? [])
    const weak = [
      ...page.texts.flatMap((text) =>
        [...text.matchAll(/[£€₹]/g)].flatMap((match) => currencies[match[0]] ?? []),
      ),
      ...page.links
        .slice(0, LINK_SAMPLE)
        .flatMap((link) => (/^https?:/i.test(link.href) ? (countryOfUrl(link.href) ?? []) : [])),
      ...page.hreflangs.flatMap((lang) => countryOfLang(lang) ?? []),
    ]
    const places = mentions.flat().map((mention) => mention.country)
    return phoneRegions({ url, lang: page.lang, places, numberCountries, weak }, options.defaultRegion)
  })
  const seen = new Set<string>()
  const phones: Array<ExtractedPhone> = []
  for (const { value, fallback, source, label, block } of candidates) {
    const number =
      parser.parse(value, block) ?? (fallback === undefined ? undefined : parser.parse(fallback, block))
    if (number === undefined || seen.has(e164(number))) continue
    seen.add(e164(number))
    phones.push({ value: e164(number), type: phoneType(number, label), source })
  }
  return phones
}
