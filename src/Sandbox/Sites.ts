import { Categories, Countries, type Category, type Country } from "./Countries.js"
import { Rng } from "./Random.js"
import {
  emailsFor,
  phone,
  phoneLabels,
  slugify,
  socialsFor,
  type SampleEmail,
  type SamplePhone,
  type SampleSocial,
} from "./SiteContacts.js"

/**
 * Sample business sites with known contacts, generated from a seed. Site `i` depends only on the seed
 * and `i`, so a smaller corpus is a prefix of a larger one. The HTML itself is rendered on demand
 * (see Html.ts) from the same description.
 */

/** What a competent extractor finds on one page: lower-case emails, E.164 phones, profile links. */
export interface ExpectedContacts {
  readonly emails: ReadonlyArray<string>
  readonly phones: ReadonlyArray<string>
  readonly socials: ReadonlyArray<SampleSocial>
}

export interface SampleSite {
  /** The corpus seed and the site's position: together they fix every byte of its pages. */
  readonly seed: number
  readonly index: number
  readonly name: string
  readonly category: Category
  readonly country: Country
  readonly host: string
  /** The host without `www.`, which is also the domain of the site's emails. */
  readonly domain: string
  readonly city: string
  readonly street: string
  readonly people: ReadonlyArray<string>
  /** Shown in the footer of every page. */
  readonly mainEmail: SampleEmail
  readonly mainPhone: SamplePhone
  readonly socials: ReadonlyArray<SampleSocial>
  /** Shown on the contact page only. */
  readonly extraEmails: ReadonlyArray<SampleEmail>
  readonly extraPhones: ReadonlyArray<SamplePhone>
  readonly contactPath: string
  /** About 60 % of the sites also have an about page. */
  readonly aboutPath?: string
  /** Built by scripts: a plain fetch gets the app shell, only a rendered one shows the contacts. */
  readonly scripted: boolean
  /** Behind bot protection: ScraperAPI bills its bypass fee on top of the request's price. */
  readonly protected: boolean
}

export type PageKind = "contact" | "about"

export interface SamplePage {
  readonly url: string
  readonly kind: PageKind
  readonly site: SampleSite
  readonly expected: ExpectedContacts
}

export interface SampleCorpus {
  readonly seed: number
  readonly sites: ReadonlyArray<SampleSite>
  readonly pages: ReadonlyArray<SamplePage>
  readonly urls: ReadonlyArray<string>
  readonly page: (url: string) => SamplePage | undefined
}

const fill = (template: string, rng: Rng, country: Country, city: string): string =>
  template
    .replace("{s}", rng.pick(country.surnames))
    .replace("{t}", rng.pick(country.surnames))
    .replace("{c}", city)

interface Shares {
  readonly js: number
  readonly protected: number
}

// Spread evenly (every fifth site at 0.2), so any run of sites holds the share asked for.
const everyNth = (index: number, share: number, offset: number) =>
  Math.floor((index + offset + 1) * share) > Math.floor((index + offset) * share)

const generateSite = (seed: number, index: number, shares: Shares, takenSlugs: Set<string>): SampleSite => {
  const rng = new Rng(seed, index * 8)
  const country = Countries[index % Countries.length]!
  const category = rng.pick(Categories)
  const { city, phone: phonePattern } = rng.pick(country.places)
  const name = fill(rng.pick(country.names[category]), rng, country, city)
  let slug = slugify(name)
  for (let n = 2; takenSlugs.has(slug); n++) slug = `${slugify(name)}-${n}`
  takenSlugs.add(slug)
  const domain = `${slug}.${country.suffix}`
  const people = rng.sample(country.firstNames, 3).map((first) => `${first} ${rng.pick(country.surnames)}`)
  const taken = new Set<string>()
  const emails = emailsFor(rng, country, category, domain, people[0] ?? "Team")
  return {
    seed,
    index,
    name,
    category,
    country,
    host: rng.chance(0.5) ? `www.${domain}` : domain,
    domain,
    city,
    street: country.address(rng.int(1, 240), rng.pick(country.streets)),
    people,
    mainEmail: emails.main,
    mainPhone: phone(rng, country, phonePattern, country.labels.phone, taken),
    socials: socialsFor(rng, category, slug),
    extraEmails: emails.extra,
    extraPhones: [phone(rng, country, phonePattern, phoneLabels[category], taken)],
    contactPath: rng.pick(country.contactPaths),
    ...(rng.chance(0.6) ? { aboutPath: rng.pick(country.aboutPaths) } : {}),
    scripted: everyNth(index, shares.js, 0),
    // Offset, so the protected sites are not simply the scripted ones.
    protected: everyNth(index, shares.protected, 2),
  }
}

const expectedOn = (site: SampleSite, kind: PageKind): ExpectedContacts => {
  const emails = kind === "contact" ? [site.mainEmail, ...site.extraEmails] : [site.mainEmail]
  const phones = kind === "contact" ? [site.mainPhone, ...site.extraPhones] : [site.mainPhone]
  return {
    emails: emails.map((email) => email.address),
    phones: phones.map((phone) => phone.e164),
    socials: site.socials,
  }
}

const pagesOf = (site: SampleSite): Array<SamplePage> => {
  const page = (kind: PageKind, path: string): SamplePage => ({
    url: `https://${site.host}${path}`,
    kind,
    site,
    expected: expectedOn(site, kind),
  })
  return site.aboutPath === undefined
    ? [page("contact", site.contactPath)]
    : [page("contact", site.contactPath), page("about", site.aboutPath)]
}

export const generateCorpus = (options: {
  readonly sites: number
  readonly seed: number
  readonly jsShare?: number
  readonly protectedShare?: number
}): SampleCorpus => {
  const takenSlugs = new Set<string>()
  const shares = { js: options.jsShare ?? 0, protected: options.protectedShare ?? 0 }
  const sites = Array.from({ length: options.sites }, (_, index) =>
    generateSite(options.seed, index, shares, takenSlugs),
  )
  const pages = sites.flatMap(pagesOf)
  const byUrl = new Map(pages.map((page) => [page.url, page]))
  return {
    seed: options.seed,
    sites,
    pages,
    urls: pages.map((page) => page.url),
    page: (url) => byUrl.get(url),
  }
}
