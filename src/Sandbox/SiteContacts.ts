import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import type { SocialPlatform } from "../Domain/Contact.js"
import categories from "./Categories.json" with { type: "json" }
import type { Category, Country } from "./Countries.js"
import type { Rng } from "./Random.js"

/** The contacts of a sample site: its mailboxes, phone numbers and social profiles. */

export interface SampleSocial {
  readonly platform: SocialPlatform
  /** The profile link exactly as the page links it. */
  readonly url: string
  readonly handle: string
}

export interface SamplePhone {
  readonly e164: string
  /** How the page prints it: national format of the site's country, sometimes international. */
  readonly display: string
  readonly label: string
}

export interface SampleEmail {
  readonly address: string
  readonly label: string
  /** `mailto` links it (with an optional `?subject=`), `text` only prints it. */
  readonly shown: "mailto" | "text"
  readonly subject?: string
}

/** Lower-case ASCII for hosts and mailboxes: Müller → mueller, Lefèvre → lefevre. */
export const slugify = (text: string): string =>
  text
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")

export const phone = (
  rng: Rng,
  country: Country,
  pattern: string,
  label: string,
  taken: Set<string>,
): SamplePhone => {
  for (;;) {
    const parsed = parsePhoneNumberFromString(rng.digits(pattern).replace(/ /g, ""), country.code)
    if (parsed === undefined || !parsed.isValid() || taken.has(parsed.number)) continue
    taken.add(parsed.number)
    const display = rng.chance(0.8) ? parsed.formatNational() : parsed.formatInternational()
    return { e164: parsed.number, display, label }
  }
}

export const socialsFor = (rng: Rng, category: Category, slug: string): Array<SampleSocial> => {
  const handle = slug.replace(/-/g, rng.pick(["", "_", "."])).slice(0, 30)
  const compact = slug.replace(/-/g, "")
  const all: Record<SocialPlatform, SampleSocial> = {
    linkedin: { platform: "linkedin", url: `https://www.linkedin.com/company/${slug}`, handle: slug },
    facebook: { platform: "facebook", url: `https://www.facebook.com/${compact}`, handle: compact },
    instagram: { platform: "instagram", url: `https://www.instagram.com/${handle}`, handle },
    x: { platform: "x", url: `https://x.com/${compact.slice(0, 15)}`, handle: compact.slice(0, 15) },
    youtube: { platform: "youtube", url: `https://www.youtube.com/@${compact}`, handle: compact },
    tiktok: { platform: "tiktok", url: `https://www.tiktok.com/@${handle}`, handle },
    pinterest: { platform: "pinterest", url: `https://www.pinterest.com/${compact}`, handle: compact },
  }
  const preferred: Record<Category, ReadonlyArray<SocialPlatform>> = {
    restaurant: ["instagram", "facebook", "tiktok", "x"],
    clinic: ["facebook", "linkedin", "instagram", "youtube"],
    law: ["linkedin", "x", "facebook"],
    trades: ["facebook", "instagram", "youtube"],
    shop: ["instagram", "facebook", "pinterest", "x"],
  }
  const platforms = preferred[category]
  return rng.sample(platforms, rng.int(1, platforms.length)).map((platform) => all[platform])
}

export const phoneLabels: Record<Category, string> = {
  restaurant: "Reservations",
  clinic: "Emergency appointments",
  law: "Direct line",
  trades: "24h call-outs",
  shop: "Shop floor",
}

/** The general mailbox shown on every page, and the contact page's department, person and press ones. */
export const emailsFor = (rng: Rng, country: Country, category: Category, domain: string, person: string) => {
  const { mailbox, label, subject } = rng.pick(categories[category].departments)
  const general = rng.pick(country.generalMailboxes.filter((box) => box !== mailbox))
  const main: SampleEmail = { address: `${general}@${domain}`, label: "General", shown: "mailto" }
  const extra: Array<SampleEmail> = [
    { address: `${mailbox}@${domain}`, label, shown: "mailto", ...(subject ? { subject } : {}) },
    { address: `${slugify(person).replace(/-/g, ".")}@${domain}`, label: person, shown: "mailto" },
    {
      address: `${rng.pick(["press", "careers", "jobs"])}@${domain}`,
      label: "Press & careers",
      shown: "text",
    },
  ]
  return { main, extra }
}
