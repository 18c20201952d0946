import { isSupportedCountry, type CountryCode } from "libphonenumber-js/max"

/**
 * Which country a page's national-format numbers belong to: the site's country TLD, else the
 * region of `<html lang>`, else the country most of its internationally written numbers
 * (`+91 …`) belong to, else the configured default.
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

const fromUrl = (url: string | undefined): CountryCode | undefined => {
  if (url === undefined) return undefined
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return undefined
  }
  const tld = host.slice(host.lastIndexOf(".") + 1)
  return tld.length === 2 && !genericCountryTlds.has(tld) ? country(tld) : undefined
}

const fromLang = (lang: string | undefined): CountryCode | undefined => {
  if (lang === undefined) return undefined
  const [language = "", ...subtags] = lang.trim().toLowerCase().split(/[-_]/)
  const region = subtags.find((subtag) => /^[a-z]{2}$/.test(subtag))
  return region !== undefined ? country(region) : languageCountry[language]
}

const mostCommon = (countries: ReadonlyArray<CountryCode>): CountryCode | undefined => {
  const counts = new Map<CountryCode, number>()
  for (const country of countries) counts.set(country, (counts.get(country) ?? 0) + 1)
  let best: CountryCode | undefined
  for (const [country, count] of counts)
    if (best === undefined || count > (counts.get(best) ?? 0)) best = country
  return best
}

export interface PageHints {
  readonly url: string | undefined
  readonly lang: string | undefined
  /** Countries of the numbers the page writes with a country code. */
  readonly numberCountries: ReadonlyArray<CountryCode>
}

/** Regions to try, best hint first, the configured default last. */
export const phoneRegions = (hints: PageHints, defaultRegion: CountryCode): ReadonlyArray<CountryCode> => {
  const hint = fromUrl(hints.url) ?? fromLang(hints.lang) ?? mostCommon(hints.numberCountries)
  return hint === undefined || hint === defaultRegion ? [defaultRegion] : [hint, defaultRegion]
}
