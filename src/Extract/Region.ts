import { isSupportedCountry, type CountryCode } from "libphonenumber-js/max"

/**
 * Which countries a page's numbers written without a country code may belong to, most likely first:
 * 1. the site's country TLD (`.co.uk`, `.com.au`; not the TLDs sold as generic, `.io`, `.co` …);
 * 2. the address: the country most named by postcodes (`EC1A 4JQ`, `NSW 2000`), country and big-city names;
 * 3. the region of `<html lang>` (`en-GB`, or a language spoken mainly in one country: `de`), after the
 *    address because templates say `en-US` whatever the business's country;
 * 4. the country most of its internationally written numbers (`+91 …`) belong to;
 * 5. currency signs (`£`, `₹`), links to country-TLD sites and `hreflang` regions;
 * 6. the configured default (`WF7_DEFAULT_PHONE_REGION`);
 * then every other country the page hints at. A number's own block (the country named nearest
 * before it) goes before all of these (Phones.ts).
 */

// Country TLDs sold as generic ones (.io, .co, .tv …) say nothing about where a business is.
const genericCountryTlds = new Set(
  "ac ag ai am bz cc co fm gg gs im io la ly me nu sh tk to tv ws".split(" "),
)

// Languages spoken mainly in one country; `en`, `es`, `pt`, `ar` … are not a hint.
const languageCountry: Record<string, CountryCode> = {
  de: "DE",
  fr: "FR",
  it: "IT",
  nl: "NL",
  pl: "PL",
  ja: "JP",
  sv: "SE",
  da: "DK",
  fi: "FI",
  nb: "NO",
  cs: "CZ",
  el: "GR",
  hu: "HU",
}

const country = (code: string): CountryCode | undefined => {
  const upper = code.toUpperCase() === "UK" ? "GB" : code.toUpperCase()
  return isSupportedCountry(upper) ? upper : undefined
}

// The host's last label, read without building a URL (a page has hundreds of links).
const topLevelDomain = /^[a-z][a-z\d+.-]*:\/\/(?:[^/?#@]*@)?[^/?#:]*\.([a-z]{2})\.?(?:[:/?#]|$)/i

export const countryOfUrl = (url: string | undefined): CountryCode | undefined => {
  const tld = url === undefined ? undefined : topLevelDomain.exec(url.trim())?.[1]?.toLowerCase()
  return tld === undefined || genericCountryTlds.has(tld) ? undefined : country(tld)
}

export const countryOfLang = (lang: string | undefined): CountryCode | undefined => {
  if (lang === undefined) return undefined
  const [language = "", ...subtags] = lang.trim().toLowerCase().split(/[-_]/)
  const region = subtags.find((subtag) => /^[a-z]{2}$/.test(subtag))
  return region !== undefined ? country(region) : languageCountry[language]
}

/** Every candidate is tried in each region in turn: a page naming the whole world costs no more than this. */
const MAX_REGIONS = 5

const byCount = (countries: ReadonlyArray<CountryCode>): Array<CountryCode> => {
  const counts = new Map<CountryCode, number>()
  for (const country of countries) counts.set(country, (counts.get(country) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([country]) => country)
}

interface PageHints {
  readonly url: string | undefined
  readonly lang: string | undefined
  readonly places: ReadonlyArray<CountryCode>
  readonly numberCountries: ReadonlyArray<CountryCode>
  readonly weak: ReadonlyArray<CountryCode>
}

export const phoneRegions = (hints: PageHints, defaultRegion: CountryCode): ReadonlyArray<CountryCode> => {
  const places = byCount(hints.places)
  const numbers = byCount(hints.numberCountries)
  const weak = byCount(hints.weak)
  const ranked = [
    countryOfUrl(hints.url),
    places[0],
    countryOfLang(hints.lang),
    numbers[0],
    weak[0],
    defaultRegion,
  ]
  const regions = [...new Set([...ranked.flatMap((region) => region ?? []), ...places, ...numbers, ...weak])]
  return regions.slice(0, MAX_REGIONS)
}
