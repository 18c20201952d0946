import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from "libphonenumber-js/max"
import type { PhoneType } from "../Domain/Contact.js"
import type { Label } from "./PhoneText.js"

/**
 * Phone numbers are valid only as libphonenumber-js (full metadata) says, in E.164, read in the
 * page's region when written nationally.
 */

/** Parses candidates for one page: results cached, and a bounded number of parses per page. */
export interface PhoneParser {
  readonly parse: (candidate: string) => PhoneNumber | undefined
}

// A contact page has a few dozen candidates; the bound keeps a page made of digits fast.
const MAX_PARSES = 1000

// Countries where a national number is always written with its trunk prefix 0: there, "1234567890"
// is an account or tax number, not the phone 01234 567890.
const trunkZeroRegions = new Set("GB DE FR AU NL BE AT CH IE NZ ZA SE FI JP".split(" "))

const writtenWithoutTrunkZero = (candidate: string, region: CountryCode, number: PhoneNumber) =>
  trunkZeroRegions.has(region) && !/^\D*0/.test(candidate) && number.formatNational().startsWith("0")

/**
 * `regions` is asked for only when a national number is parsed, so the page's international numbers
 * can be parsed first to find its country.
 */
export const makePhoneParser = (regions: () => ReadonlyArray<CountryCode>): PhoneParser => {
  const cache = new Map<string, PhoneNumber | undefined>()
  const parseIn = (candidate: string) => {
    // A number written with its country code does not depend on the page's region.
    if (candidate.startsWith("+")) {
      const number = parsePhoneNumberFromString(candidate)
      return number?.isValid() ? number : undefined
    }
    for (const region of regions()) {
      const number = parsePhoneNumberFromString(candidate, region)
      if (number?.isValid() && !writtenWithoutTrunkZero(candidate, region, number)) return number
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

/**
 * Lines published on a business page are the business's: fixed lines, toll-free and shared-cost
 * numbers, and numbers libphonenumber cannot tell from mobiles (every US number) unless labelled
 * mobile; a mobile is a person's unless labelled as the office's.
 */
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
