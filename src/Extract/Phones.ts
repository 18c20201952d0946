import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from "libphonenumber-js/max"
import type { PhoneType } from "../Domain/Contact.js"

/**
 * Phone numbers: a linear scan for runs of digits and phone punctuation, shape rules that throw out
 * dates, times, amounts and identifiers, the label before the run (fax, order number …), then
 * libphonenumber-js decides validity and gives the E.164 form.
 */

/** Parses candidates for one page: results cached, and a bounded number of parses per page. */
export interface PhoneParser {
  readonly parse: (candidate: string) => PhoneNumber | undefined
}

// A contact page has a few dozen candidates; the bound keeps a page made of digits fast.
const MAX_PARSES = 2000

export const makePhoneParser = (regions: ReadonlyArray<CountryCode>): PhoneParser => {
  const cache = new Map<string, PhoneNumber | undefined>()
  const parseIn = (candidate: string) => {
    for (const region of regions) {
      const number = parsePhoneNumberFromString(candidate, region)
      if (number?.isValid()) return number
      // A number written with its country code does not depend on the region tried.
      if (candidate.startsWith("+")) return undefined
    }
    return undefined
  }
  return {
    parse: (candidate) => {
      if (cache.has(candidate)) return cache.get(candidate)
      if (cache.size >= MAX_PARSES) return undefined
      const number = parseIn(candidate)
      cache.set(candidate, number)
      return number
    },
  }
}

export const phoneType = (number: PhoneNumber): PhoneType => {
  switch (number.getType()) {
    case "FIXED_LINE":
    case "TOLL_FREE":
      return "BUSINESS"
    case "MOBILE":
      return "PERSONAL"
    default:
      return "UNKNOWN"
  }
}

const phoneLabels = new Set(
  `tel tel. telephone telephon telefon telefono téléphone tél phone phones ph call ring mobile mob cell cellphone
  handy portable whatsapp hotline fon landline office direct main`.split(/\s+/),
)
const faxLabels = new Set(["fax", "telefax", "facsimile", "télécopie"])
const notPhoneLabels = new Set(
  `order invoice ref reference sku item id vat tax isbn issn reg registration abn acn ein siret siren ust ustid
  iban account acct case ticket tracking serial model part code zip postcode plz license licence fein gst gstin`.split(
    /\s+/,
  ),
)
const singleLetterLabels: Record<string, Label> = { t: "phone", p: "phone", m: "phone", f: "fax" }

export type Label = "phone" | "fax" | "other" | "none"

const wordLabel = (word: string): Label =>
  phoneLabels.has(word) ? "phone" : faxLabels.has(word) ? "fax" : notPhoneLabels.has(word) ? "other" : "none"

/** What the nearest label word before a number says it is ("Tel/Fax" counts as a phone). */
export const labelOf = (before: string): Label => {
  // Only the words after the previous number can label this one.
  const tail = before.slice(-40).toLowerCase()
  const window = tail.slice(tail.search(/\d[^\d]*$/) + 1)
  const single = /(?:^|[^\p{L}])(\p{L})\s?[:.]\s*$/u.exec(window)?.[1]
  if (single !== undefined) return singleLetterLabels[single] ?? "none"
  const words = window.split(/[^\p{L}]+/u)
  for (let k = words.length - 1; k >= 0; k--) {
    const label = wordLabel(words[k] ?? "")
    if (label === "fax" && wordLabel(words[k - 1] ?? "") === "phone") return "phone"
    if (label !== "none") return label
  }
  return "none"
}

const isDigit = (c: number) => c >= 48 && c <= 57
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 191
// Space, ( ) - . / and the non-breaking hyphen.
const isSeparator = (c: number) =>
  c === 32 || c === 40 || c === 41 || c === 45 || c === 46 || c === 47 || c === 8209
// What stands before an amount, an id or a URL rather than a phone number.
const badBefore = new Set([..."#$€£¥₹/=&?_@%\\~^*"].map((c) => c.charCodeAt(0)))
const currencyAfter = new Set([..."$€£¥₹%"].map((c) => c.charCodeAt(0)))

const datePattern = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2}))$/
const yearRange = /^(?:19|20)\d\d ?[-/] ?(?:19|20)\d\d$/
const timeRange = /^\d{1,2}\.\d\d ?- ?\d{1,2}\.\d\d$/
const dottedQuad = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/
const thousands = /^[1-9]\d{0,2}(?:\.\d{3}){2,}$/
const bare = /^\d+$/

/** Runs that are shaped like something else than a phone number. */
const notAPhone = (run: string) =>
  datePattern.test(run) ||
  yearRange.test(run) ||
  timeRange.test(run) ||
  dottedQuad.test(run) ||
  thousands.test(run)

export interface FoundPhone {
  readonly number: PhoneNumber
  readonly label: Label
}

const digitCount = (run: string) => {
  let count = 0
  for (let i = 0; i < run.length; i++) if (isDigit(run.charCodeAt(i))) count++
  return count
}

/**
 * Phone numbers in one text node. `before` is the text that precedes the node in its block, where a
 * label such as "Fax:" may stand.
 */
export const phonesInText = (text: string, before: string, parser: PhoneParser): Array<FoundPhone> => {
  const found: Array<FoundPhone> = []
  let previousEnd = 0
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (!(isDigit(c) || c === 43 || c === 40)) {
      i++
      continue
    }
    const start = i
    let j = c === 43 ? i + 1 : i
    let separators = 0
    while (j < text.length) {
      const d = text.charCodeAt(j)
      if (isDigit(d)) separators = 0
      else if (!isSeparator(d) || ++separators > 3) break
      j++
    }
    i = Math.max(j, start + 1)
    let end = j
    while (end > start && isSeparator(text.charCodeAt(end - 1)) && text.charCodeAt(end - 1) !== 41) end--
    const run = text.slice(start, end)
    const prev = start > 0 ? text.charCodeAt(start - 1) : 32
    const next = j < text.length ? text.charCodeAt(j) : 32
    const afterNext = text.charCodeAt(end + 1)
    if (isLetter(prev) || badBefore.has(prev)) continue
    if (isLetter(next) && !/^(?:x|ext)/i.test(text.slice(j, j + 3))) continue
    if (currencyAfter.has(text.charCodeAt(end)) || currencyAfter.has(afterNext)) continue
    const parts = digitCount(run) > 15 ? run.split(/ [/|] /) : [run]
    const context = previousEnd === 0 ? `${before} ${text.slice(0, start)}` : text.slice(previousEnd, start)
    const label = labelOf(context)
    if (label === "other") continue
    for (const part of parts) {
      const digits = digitCount(part)
      if (digits < 7 || digits > 15 || notAPhone(part)) continue
      if (bare.test(part) && label !== "phone") continue
      const number = parser.parse(part)
      if (number !== undefined) found.push({ number, label })
    }
    previousEnd = end
  }
  return found
}
