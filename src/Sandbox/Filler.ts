import type { Category } from "./Countries.js"
import type { Rng } from "./Random.js"
import type { SampleSite } from "./Sites.js"

/**
 * The bulk of a real page that is not contacts: prose, critical CSS and a client-side app state,
 * grown to a requested size. Numbers here stay short and glued to letters or dots (prices, SKUs) so
 * that none of them reads as a phone number; image names carry `@2x` to bait naive email patterns.
 */

const words = [
  "quality",
  "service",
  "local",
  "family",
  "experience",
  "friendly",
  "team",
  "years",
  "customers",
  "trusted",
  "professional",
  "care",
  "fresh",
  "seasonal",
  "community",
  "craft",
  "reliable",
  "advice",
  "booking",
  "visit",
  "independent",
  "award",
  "winning",
  "careful",
  "attention",
  "detail",
  "welcome",
  "open",
  "weekend",
  "expert",
]

const catalog: Record<
  Category,
  { readonly adjectives: ReadonlyArray<string>; readonly nouns: ReadonlyArray<string> }
> = {
  restaurant: {
    adjectives: ["grilled", "roasted", "smoked", "braised", "crispy", "wild", "house", "spiced"],
    nouns: ["salmon", "lamb shoulder", "risotto", "gnocchi", "flatbread", "burrata", "tart", "chicken"],
  },
  clinic: {
    adjectives: ["routine", "emergency", "cosmetic", "preventive", "paediatric", "sports"],
    nouns: ["check-up", "hygiene visit", "whitening", "implant consultation", "massage", "x-ray"],
  },
  law: {
    adjectives: ["commercial", "family", "employment", "property", "immigration", "estate"],
    nouns: ["law", "disputes", "conveyancing", "contracts", "planning", "litigation"],
  },
  trades: {
    adjectives: ["boiler", "bathroom", "roof", "kitchen", "fuse box", "gutter"],
    nouns: ["repair", "installation", "inspection", "replacement", "service", "upgrade"],
  },
  shop: {
    adjectives: ["sourdough", "seasonal", "signed", "vintage", "handmade", "organic"],
    nouns: ["loaf", "bouquet", "first edition", "gift box", "notebook", "hamper"],
  },
}

const sentence = (rng: Rng) => {
  const text = Array.from({ length: rng.int(8, 18) }, () => rng.pick(words)).join(" ")
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

export const paragraphs = (rng: Rng, count: number): string =>
  Array.from(
    { length: count },
    () => `<p>${Array.from({ length: rng.int(3, 6) }, () => sentence(rng)).join(" ")}</p>`,
  ).join("\n")

const properties = [
  "margin:0 auto",
  "padding:12px 16px",
  "display:flex",
  "gap:8px",
  "font-weight:600",
  "line-height:1.5",
]

/** Utility-class CSS of at least `bytes` characters. */
export const criticalCss = (rng: Rng, bytes: number): string => {
  const rules: Array<string> = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const rule = `.u-${rng.pick(words)}-${i}{${rng.sample(properties, 3).join(";")};color:#${rng.digits("###")}}`
    rules.push(rule)
    size += rule.length
  }
  return rules.join("")
}

/** A JSON app state (catalogue, translations) of at least `bytes` characters. */
export const appState = (rng: Rng, site: SampleSite, bytes: number): string => {
  const { adjectives, nouns } = catalog[site.category]
  const items: Array<unknown> = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const title = `${rng.pick(adjectives)} ${rng.pick(nouns)}`
    const slug = title.replace(/ /g, "-")
    const item = {
      id: `sku-${i}`,
      title,
      slug,
      image: `/assets/img/catalog/${slug}@2x.webp`,
      price: `${rng.int(4, 180)}.${rng.pick(["00", "50", "95"])}`,
      rating: `${rng.int(3, 4)}.${rng.int(0, 9)}`,
      summary: sentence(rng),
      tags: rng.sample(words, 3),
    }
    items.push(item)
    size += JSON.stringify(item).length + 1
  }
  return JSON.stringify({
    site: { name: site.name, locale: site.country.lang, currency: "local" },
    catalog: items,
  })
}
