/**
 * Phone-shaped runs in text: a linear scan for digits and phone punctuation, shape rules that throw
 * out dates, times, amounts and identifiers, and the label written before each run (fax, order
 * number …). Whether a run is a real number is for libphonenumber-js to say (Phones.ts).
 */

const words = (text: string) => new Set(text.split(/\s+/))

const phoneLabels = words(`tel telephone telephon telefon telefono téléphone tél phone phones ph call ring
  hotline fon direct contact`)
// A label that says what kind of line it is decides a number libphonenumber cannot (Phones.phoneType).
const mobileLabels = words("mobile mob cell cellphone handy mobil portable whatsapp")
const officeLabels = words("landline office main switchboard reception")
const faxLabels = words("fax telefax facsimile télécopie")
// Registration, tax, order and account numbers are written next to phones on imprint and footer lines.
const notPhoneLabels =
  words(`order invoice ref reference sku item id vat tax isbn issn upc ean reg registration
  registered abn acn arbn ein npi dea usdot policy folio mls lic license licence permit iban bic account acct case
  ticket tracking serial model part code zip postcode plz fein gst gstin pan cin fssai iata ust ustid idnr
  steuernummer betriebsnummer mitgliedsnummer kundennummer versicherungsnummer hrb hra amtsgericht
  registergericht siret siren rcs tva toque rpps adeli orias ape naf sra gdc frn utr charity company`)
const singleLetterLabels: Record<string, Label> = { t: "phone", p: "phone", m: "mobile", f: "fax" }

export type Label = "phone" | "mobile" | "office" | "fax" | "other" | "none"

/** Labels that say the number is a phone (of some kind). */
export const isPhoneLabel = (label: Label) => label === "phone" || label === "mobile" || label === "office"

const wordLabel = (word: string): Label =>
  phoneLabels.has(word)
    ? "phone"
    : mobileLabels.has(word)
      ? "mobile"
      : officeLabels.has(word)
        ? "office"
        : faxLabels.has(word)
          ? "fax"
          : notPhoneLabels.has(word)
            ? "other"
            : "none"

/** What the nearest label word before a number says it is ("Tel/Fax" counts as a phone). */
export const labelOf = (before: string): Label => {
  // Only the words after the previous number can label this one.
  const tail = before.slice(-40).toLowerCase()
  const window = tail.slice(tail.search(/\d[^\d]*$/) + 1)
  const single = /(?:^|[^\p{L}])(\p{L})\s?[:.]\s*$/u.exec(window)?.[1]
  if (single !== undefined) return singleLetterLabels[single] ?? "none"
  const tokens = window.split(/[^\p{L}]+/u)
  for (let k = tokens.length - 1; k >= 0; k--) {
    const label = wordLabel(tokens[k] ?? "")
    if (label === "fax" && isPhoneLabel(wordLabel(tokens[k - 1] ?? ""))) return "phone"
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

export interface PhoneCandidate {
  readonly candidate: string
  readonly label: Label
}

const digitCount = (run: string) => {
  let count = 0
  for (let i = 0; i < run.length; i++) if (isDigit(run.charCodeAt(i))) count++
  return count
}

const MIN_DIGITS = 7
const MAX_DIGITS = 15

/**
 * Runs of one text node that may be phone numbers, with their labels. `before` is the text that
 * precedes the node, read for the label of a number that stands alone in its node
 * (`<dt>Fax</dt><dd>…</dd>`).
 */
export const phoneCandidates = (text: string, before: string): Array<PhoneCandidate> => {
  const found: Array<PhoneCandidate> = []
  let previousEnd: number | undefined
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
    let digits = 0
    while (j < text.length) {
      const d = text.charCodeAt(j)
      if (isDigit(d)) {
        separators = 0
        digits++
      } else if (!isSeparator(d) || ++separators > 3) break
      j++
    }
    i = Math.max(j, start + 1)
    if (digits < MIN_DIGITS) continue
    let end = j
    while (end > start && isSeparator(text.charCodeAt(end - 1)) && text.charCodeAt(end - 1) !== 41) end--
    const prefix = text.slice(previousEnd ?? 0, start)
    const label = labelOf(
      previousEnd === undefined && !/\p{L}/u.test(prefix) ? `${before} ${prefix}` : prefix,
    )
    previousEnd = end
    const prev = start > 0 ? text.charCodeAt(start - 1) : 32
    // Glued to a word ("4TTR6060J"), except an extension ("x101", "ext. 2").
    const glued = end === j && isLetter(text.charCodeAt(end))
    if (label === "other" || isLetter(prev) || badBefore.has(prev)) continue
    if (glued && !/^(?:x|ext)/i.test(text.slice(end, end + 3))) continue
    if (currencyAfter.has(text.charCodeAt(end)) || currencyAfter.has(text.charCodeAt(end + 1))) continue
    const run = text.slice(start, end)
    // "022 2634 5678 / 022 2634 5679" is two numbers.
    for (const part of digits > MAX_DIGITS ? run.split(/ [/|] /) : [run]) {
      const partDigits = part === run ? digits : digitCount(part)
      if (partDigits < MIN_DIGITS || partDigits > MAX_DIGITS || notAPhone(part)) continue
      if (bare.test(part) && !isPhoneLabel(label)) continue
      found.push({ candidate: part, label })
    }
  }
  return found
}
