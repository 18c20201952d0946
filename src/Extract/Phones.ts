import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from "libphonenumber-js/max"
import type { PhoneType } from "../Domain/Contact.js"
import type { Label } from "./PhoneText.js"

/**
 * Phone numbers are valid only as libphonenumber-js (full metadata) says, in E.164, read in the
 * page's region when written nationally.
 */

interface PhoneParser {
  /** `block` is the country named nearest before the candidate (a multi-office page's office). */
  readonly parse: (candidate: string, block?: CountryCode) => PhoneNumber | undefined
}

// A contact page has a few dozen candidates; the bound keeps a page made of digits fast.
const MAX_PARSES = 1000

// Where a national number always has its trunk 0, "1234567890" is an account or tax number, not 01234 567890.
const trunkZeroRegions = new Set("GB DE FR AU NL BE AT CH IE NZ ZA SE FI JP".split(" "))

const writtenWithoutTrunkZero = (candidate: string, region: CountryCode, number: PhoneNumber) =>
  trunkZeroRegions.has(region) && !/^\D*0/.test(candidate) && number.formatNational().startsWith("0")

// Where valid, a North American number is read so before any country the page names: a US page names many.
const northAmerican = /^(?:1[-. ]?)?(?:\(\d{3}\) ?|\d{3}[-. ]|\(\d{3}\)[-.])\d{3}[-. ]\d{4}(?: ext\. \d+)?$/

const valid = (number: PhoneNumber | undefined) => (number?.isValid() ? number : undefined)

/** An office's number written with its country code but no "+": "Qatar · Tel: 974 4411 7653", "44 (0) 1223 …". */
const withoutPlus = (candidate: string, region: CountryCode): PhoneNumber | undefined => {
  const [main = "", extension] = candidate.split(" ext. ")
  const digits = main.replace("(0)", "").replace(/\D/g, "")
  if (!digits.startsWith(getCountryCallingCode(region))) return undefined
  const number = valid(
    parsePhoneNumberFromString(extension === undefined ? `+${digits}` : `+${digits} ext. ${extension}`),
  )
  return number?.country === region ? number : undefined
}

/** `regions` is asked for only for national numbers: international ones may find the page's country first. */
export const makePhoneParser = (regions: () => ReadonlyArray<CountryCode>): PhoneParser => {
  const cache = new Map<string, PhoneNumber | undefined>()
  let pageRegions: ReadonlyArray<CountryCode> | undefined
  const inRegion = (candidate: string, region: CountryCode) => {
    const number = valid(parsePhoneNumberFromString(candidate, region))
    return number === undefined || writtenWithoutTrunkZero(candidate, region, number) ? undefined : number
  }
  const parseIn = (candidate: string, block: CountryCode | undefined) => {
    if (candidate.startsWith("+")) return valid(parsePhoneNumberFromString(candidate))
    const regionList = (pageRegions ??= regions())
    // The page's own country first: a nav link naming another country is no office block. A number
    // invalid there is read in its block's country, then the page's other hints. Each once.
    const northAmericanFirst = northAmerican.test(candidate) && regionList.includes("US")
    const [first, ...rest] = regionList
    const order = [
      ...(northAmericanFirst ? ["US" as const] : []),
      ...(first === undefined ? [] : [first]),
      ...(block === undefined ? [] : [block]),
    ]
    const tried = new Set<CountryCode>()
    for (const region of [...order, ...rest]) {
      if (tried.has(region)) continue
      tried.add(region)
      const number =
        inRegion(candidate, region) ?? (region === block ? withoutPlus(candidate, region) : undefined)
      if (number !== undefined) return number
    }
    return undefined
  }
  return {
    parse: (candidate, block) => {
      const key = block === undefined || candidate.startsWith("+") ? candidate : `${block} ${candidate}`
      if (cache.has(key)) return cache.get(key)
      if (cache.size >= MAX_PARSES) return undefined
      const number = parseIn(candidate, block)
      cache.set(key, number)
      return number
    },
  }
}

// A business page's lines are the business's (every US number too) unless labelled mobile; a mobile is a
// person's unless labelled the office's.
export const phoneType = (number: PhoneNumber, label: Label): PhoneType => {
  switch (number.getType()) {
    case "FIXED_LINE":
    case "TOLL_FREE":
    case "SHARED_COST":
    case "UAN":
      return "BUSINESS"
    case "FIXED_LINE_OR_MOBILE":
      return label === "mobile" ? "PERSONAL" : "BUSINESS"
    case "MOBILE":
      return label === "office" ? "BUSINESS" : "PERSONAL"
    default:
      return "UNKNOWN"
  }
}
