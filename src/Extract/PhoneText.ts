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

const isPhoneLabel = (label: Label) => label === "phone" || label === "mobile" || label === "office"

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

// A date, alone or followed by a time or another date ("27/04/2022 00:00", "29.04.2020)").
const datePattern = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2}))(?:[ )]|$)/
const zipPlusFour = /^\d{5}-\d{4}$/
const yearRange = /^(?:19|20)\d\d ?[-/] ?(?:19|20)\d\d$/
const timeRange = /^\d{1,2}\.\d\d ?- ?\d{1,2}\.\d\d$/
const dottedQuad = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/
const thousands = /^[1-9]\d{0,2}(?:\.\d{3}){2,}$|^[1-9]\d?(?: \d{3}){3,}$/
// An archive's month and its post count: "April 2022 (501)".
const yearAndCount = /^(?:19|20)\d\d \(\d+\)$/
const bare = /^\d+$/

const notAPhone = (run: string) =>
  datePattern.test(run) ||
  zipPlusFour.test(run) ||
  yearRange.test(run) ||
  timeRange.test(run) ||
  dottedQuad.test(run) ||
  thousands.test(run) ||
  yearAndCount.test(run)

interface PhoneCandidate {
  readonly candidate: string
  /** Read when `candidate` is no number: an alternate's digits over the number before it ("4300 / 4455"). */
  readonly fallback?: string | undefined
  readonly label: Label
  readonly at: number
}

const digitsOf = (run: string) => run.replace(/[^\d+]/g, "")

const MIN_DIGITS = 7
const MAX_DIGITS = 15
// Australia's six-digit 13 numbers, written spaced: "13 25 00", "132 500".
const MIN_SHORT = 6
const australianShort = /^13\d? \d{2,3}(?: \d{2})?$/
const MIN_SUFFIX = 4

const extensionAfter = /^ ?(?:x|ext\.?|extn\.?|extension)\s?[:.]?\s?(\d{1,6})(?!\d)/i
// Words a number can be glued to in badly built pages ("…1150Fax: …").
const fieldWords = words("email mail web website www")
// Between a number and the alternate after it: "(212) 817-2240, 894-3310".
const alternateGap = /^ ?[,/|] ?$/
// Inside a run whose first part is a whole number: "0800 52 17 331 - 0800 52 17 339", "4300 / 4455".
const listSeparator = /( ?[/|] ?| - )/

/** Two numbers a line break apart, run together ("022-2834 2069⏎93245 42068"): the most even split. */
const splitRunTogether = (part: string): Array<string> => {
  const total = digitsOf(part).replace("+", "").length
  if (total <= MAX_DIGITS) return [part]
  // Linear: the digits on the left are counted once, and no split is tried past a whole number.
  let left = 0
  let best: { readonly at: number; readonly imbalance: number } | undefined
  for (let at = 0; at < part.length && left <= MAX_DIGITS; at++) {
    const c = part.charCodeAt(at)
    if (isDigit(c)) left++
    else if (c === 32 && left >= MIN_DIGITS && total - left >= MIN_DIGITS && total - left <= MAX_DIGITS) {
      const imbalance = Math.abs(total - 2 * left)
      if (best === undefined || imbalance < best.imbalance) best = { at, imbalance }
    }
  }
  return best === undefined ? [part] : [part.slice(0, best.at), " ", part.slice(best.at + 1)]
}

const overSuffix = (previous: string, part: string, minimum: number): string | undefined => {
  const digits = digitsOf(part)
  return digits.length >= minimum && digits.length < previous.replace("+", "").length
    ? previous.slice(0, previous.length - digits.length) + digits
    : undefined
}

interface CandidateOptions {
  /** Text before the node, read for the label of a number alone in its node (`<dt>Fax</dt><dd>…</dd>`). */
  readonly before: string
  /** A bare digit run that is its node's whole text is a number (a contact page's `<h2>7185264410</h2>`). */
  readonly bareAlone: boolean
}

export const phoneCandidates = (text: string, options: CandidateOptions): Array<PhoneCandidate> => {
  const found: Array<PhoneCandidate> = []
  let previousEnd: number | undefined
  // The last number read in this node and its label, which its alternates share.
  let previous: { readonly digits: string; readonly label: Label } | undefined
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
    const gap = text.slice(previousEnd ?? 0, start)
    const alternateOf = previous !== undefined && alternateGap.test(gap) ? previous : undefined
    if (digits < (alternateOf === undefined ? MIN_SHORT : MIN_SUFFIX)) continue
    let end = j
    while (end > start && isSeparator(text.charCodeAt(end - 1)) && text.charCodeAt(end - 1) !== 41) end--
    const label =
      alternateOf?.label ??
      labelOf(previousEnd === undefined && !/\p{L}/u.test(gap) ? `${options.before} ${gap}` : gap)
    previousEnd = end
    previous = undefined
    const prev = start > 0 ? text.charCodeAt(start - 1) : 32
    const extension = extensionAfter.exec(text.slice(end, end + 16))
    if (extension !== null) i = Math.max(i, end + extension[0].length)
    // Glued to a word ("4TTR6060J"), except an extension ("x101") or the next field's label ("Fax:").
    const gluedTo =
      end === j && isLetter(text.charCodeAt(end)) ? /^\p{L}+/u.exec(text.slice(end, end + 12)) : null
    const gluedWord = gluedTo?.[0].toLowerCase() ?? ""
    // Part of a word or a file name: "liable-81720-8.18-AM.mp3".
    const inWord = (prev === 45 || prev === 46) && isLetter(text.charCodeAt(start - 2))
    if (label === "other" || isLetter(prev) || badBefore.has(prev) || inWord) continue
    if (
      gluedTo !== null &&
      extension === null &&
      !fieldWords.has(gluedWord) &&
      !isPhoneLabel(wordLabel(gluedWord)) &&
      wordLabel(gluedWord) !== "fax"
    )
      continue
    // An en dash before digits: the rest of the number ("30030–1000"), or the last digits of a
    // range of lines ("2567912–15"), which leaves the first line.
    const dashed = text.charCodeAt(end) === 8211 ? /^\d{1,6}(?!\d)/.exec(text.slice(end + 1, end + 8)) : null
    if (text.charCodeAt(end) === 8211 && dashed === null && isDigit(text.charCodeAt(end + 1))) continue
    if (dashed !== null) i = Math.max(i, end + 1 + dashed[0].length)
    if (currencyAfter.has(text.charCodeAt(end)) || currencyAfter.has(text.charCodeAt(end + 1))) continue
    const run = dashed === null ? text.slice(start, end) : `${text.slice(start, end)}-${dashed[0]}`
    const pieces = run.split(listSeparator)
    // A separator splits a list only after a whole number: "030 / 28 49 37-10" is one number; a
    // dash only between numbers as long: "+43 1 599 16 - 957 35" is one number with its direct dial.
    const length = (k: number) => digitsOf(pieces[k] ?? "").length
    const dashedShort = pieces.some((piece, k) => piece === " - " && Math.abs(length(k + 1) - length(0)) > 1)
    const parts = (length(0) >= MIN_DIGITS && !dashedShort ? pieces : [run]).flatMap(splitRunTogether)
    let last = alternateOf?.digits
    for (let k = 0; k < parts.length; k += 2) {
      const part = parts[k] ?? ""
      // A dash joins whole numbers only; a year or an hour after it is no alternate, and the
      // number before it stands alone when the whole run is none.
      const fallback =
        dashed !== null && dashed[0].length <= 2
          ? text.slice(start, end)
          : dashedShort && length(0) >= MIN_DIGITS
            ? pieces[0]
            : last === undefined || parts[k - 1] === " - "
              ? undefined
              : overSuffix(
                  last,
                  part,
                  alternateOf !== undefined && k === 0 && gap.includes(",") ? MIN_DIGITS : MIN_SUFFIX,
                )
      const partDigits = digitsOf(part).replace("+", "").length
      const withExtension =
        extension !== null && k === parts.length - 1 ? `${part} ext. ${extension[1]}` : part
      const alone = options.bareAlone && run === text
      if (
        (partDigits >= MIN_DIGITS || australianShort.test(part)) &&
        partDigits <= MAX_DIGITS &&
        !notAPhone(part) &&
        (!bare.test(part) || isPhoneLabel(label) || alone || fallback !== undefined)
      ) {
        found.push({ candidate: withExtension, fallback, label, at: start })
      } else if (fallback !== undefined) found.push({ candidate: fallback, label, at: start })
      else continue
      last = fallback ?? digitsOf(part)
    }
    if (last !== undefined) previous = { digits: last, label }
  }
  return found
}
