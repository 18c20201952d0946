import { getCountries, type CountryCode } from "libphonenumber-js/max"

/**
 * Where a page says it is: country names (English, and a few native ones), major cities outside the
 * US, and postcodes of a recognisable shape. A linear scan of each text node.
 */

interface PlaceMention {
  readonly end: number
  readonly country: CountryCode
}

// English names that are also common words or US states say nothing about a country.
const ambiguousNames = new Set(["chad", "georgia", "jersey", "jordan", "turkey", "niger", "guinea", "man"])

const aliases: Record<string, CountryCode> = {
  uk: "GB",
  "u.k": "GB",
  britain: "GB",
  "great britain": "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  "new york": "US",
  "los angeles": "US",
  "san francisco": "US",
  "new delhi": "IN",
  "gold coast": "AU",
  "cape town": "ZA",
  "abu dhabi": "AE",
  "kuala lumpur": "MY",
  usa: "US",
  "u.s.a": "US",
  "united states of america": "US",
  uae: "AE",
  "hong kong": "HK",
  "south korea": "KR",
  korea: "KR",
  macau: "MO",
  "czech republic": "CZ",
  eire: "IE",
  deutschland: "DE",
  schweiz: "CH",
  suisse: "CH",
  españa: "ES",
  italia: "IT",
  nederland: "NL",
  österreich: "AT",
  россия: "RU",
  russia: "RU",
  vietnam: "VN",
  "the netherlands": "NL",
  holland: "NL",
  "new south wales": "AU",
  queensland: "AU",
  "western australia": "AU",
  tasmania: "AU",
  maharashtra: "IN",
  karnataka: "IN",
  kerala: "IN",
  "tamil nadu": "IN",
  gujarat: "IN",
  telangana: "IN",
  haryana: "IN",
  "uttar pradesh": "IN",
  "west bengal": "IN",
  rajasthan: "IN",
}

// Big cities outside the US whose names are not common words (nor US cities: Cambridge, Reading).
const cities: ReadonlyArray<readonly [CountryCode, string]> = [
  [
    "GB",
    "london leeds glasgow edinburgh bristol liverpool sheffield cardiff belfast nottingham leicester oxford exeter brighton southampton aberdeen",
  ],
  ["IE", "dublin cork galway limerick waterford kilkenny"],
  ["AU", "sydney melbourne brisbane adelaide canberra hobart parramatta geelong"],
  ["NZ", "auckland wellington christchurch dunedin"],
  [
    "IN",
    "mumbai delhi bangalore bengaluru chennai kolkata hyderabad pune ahmedabad kochi cochin noida gurgaon gurugram jaipur lucknow chandigarh",
  ],
  ["CA", "toronto vancouver montreal calgary ottawa edmonton winnipeg"],
  ["US", "chicago houston philadelphia seattle boston atlanta miami dallas denver"],
  ["AE", "dubai sharjah"],
  ["QA", "doha"],
  ["OM", "muscat"],
  ["SG", "singapore"],
  ["CN", "beijing shanghai shenzhen guangzhou"],
  ["CH", "geneva zurich zürich genève basel lausanne"],
  ["DE", "munich münchen berlin frankfurt hamburg köln cologne düsseldorf stuttgart"],
  ["FR", "paris lyon marseille"],
  ["PK", "karachi lahore islamabad"],
  ["KE", "nairobi mombasa"],
  ["ZA", "johannesburg durban pretoria"],
  ["PH", "manila makati"],
  ["JP", "tokyo osaka"],
]

const names = new Map<string, CountryCode>()
const englishNames = new Intl.DisplayNames(["en"], { type: "region" })
for (const country of getCountries()) {
  const name = englishNames.of(country)?.toLowerCase()
  if (name !== undefined && !ambiguousNames.has(name)) names.set(name, country)
}
for (const [name, country] of Object.entries(aliases)) names.set(name, country)
for (const [country, list] of cities) for (const city of list.split(" ")) names.set(city, country)

const MAX_NAME_WORDS = 4
// Most words start no name: only these are looked at further.
const firstWords = new Set([...names.keys()].map((name) => name.split(" ")[0]))

const postcodes: ReadonlyArray<readonly [RegExp, CountryCode]> = [
  [/\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b/g, "GB"],
  [/\b(?:NSW|VIC|QLD|SA|WA|TAS|ACT|NT),? \d{4}\b/g, "AU"],
  [
    /\b(?:A[LKZR]|C[AOT]|DE|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]),? \d{5}(?:-\d{4})?\b/g,
    "US",
  ],
  [/\b(?:ON|QC|BC|AB|MB|SK|NS|NB|NL|PE),? [A-Z]\d[A-Z] ?\d[A-Z]\d\b/g, "CA"],
  [/\b[AC-FHKNPRTV-Y]\d{2} [AC-FHKNPRTV-Y\d]{4}\b/g, "IE"],
]

// Addresses and office headings are short; a longer node is prose, and news names many countries.
const MAX_TEXT = 300

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c > 191
// Inside a word: "u.k.", "o'connor", "stoke-on-trent".
const isWordInner = (c: number) => isLetter(c) || c === 46 || c === 39 || c === 45

const wordsOf = (lower: string): Array<number> => {
  const bounds: Array<number> = []
  let i = 0
  while (i < lower.length) {
    if (!isLetter(lower.charCodeAt(i))) {
      i++
      continue
    }
    const start = i
    while (i < lower.length && isWordInner(lower.charCodeAt(i))) i++
    let end = i
    while (!isLetter(lower.charCodeAt(end - 1))) end--
    bounds.push(start, end)
  }
  return bounds
}

export const placeMentions = (text: string): Array<PlaceMention> => {
  const found: Array<PlaceMention> = []
  if (text.length > MAX_TEXT) return found
  const lower = text.toLowerCase()
  const bounds = wordsOf(lower)
  const words = bounds.length / 2
  for (let k = 0; k < words; k++) {
    const start = bounds[2 * k] ?? 0
    if (!firstWords.has(lower.slice(start, bounds[2 * k + 1]))) continue
    // The longest name starting at this word: "new south wales" before "wales".
    for (let n = Math.min(MAX_NAME_WORDS, words - k); n >= 1; n--) {
      const end = bounds[2 * (k + n) - 1] ?? 0
      const country = names.get(lower.slice(start, end).replace(/\s+/g, " "))
      if (country !== undefined) {
        found.push({ end, country })
        k += n - 1
        break
      }
    }
  }
  // Every postcode shape has digits.
  if (/\d/.test(text)) {
    for (const [pattern, country] of postcodes) {
      for (const match of text.matchAll(pattern)) found.push({ end: match.index + match[0].length, country })
    }
  }
  return found.sort((a, b) => a.end - b.end)
}
