import categories from "./Categories.json" with { type: "json" }
import { Categories, type Category } from "./Countries.js"
import { Rng } from "./Random.js"
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

/** `count` draws joined by `separator`; a loop, as `Array.from` with a mapper costs a page render dearly. */
const joinDraws = (count: number, separator: string, draw: () => string) => {
  let text = count > 0 ? draw() : ""
  for (let i = 1; i < count; i++) text += separator + draw()
  return text
}

const sentence = (rng: Rng) => {
  const text = joinDraws(rng.int(8, 18), " ", () => rng.pick(words))
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

export const paragraphs = (rng: Rng, count: number): string =>
  joinDraws(count, "\n", () => `<p>${joinDraws(rng.int(3, 6), " ", () => sentence(rng))}</p>`)

const properties = [
  "margin:0 auto",
  "padding:12px 16px",
  "display:flex",
  "gap:8px",
  "font-weight:600",
  "line-height:1.5",
]

/**
 * Pools of CSS rules and catalogue items built once from a fixed seed: a page takes a run from a start of
 * its own stream, a substring rather than thousands of draws (the simulator serves 1000 in flight).
 */
const POOL_SIZE = 2000

/** Entries joined by `separator`, twice over, so a run wrapping past the end is one substring. */
class Pool {
  private readonly text: string
  private readonly starts: Int32Array

  constructor(
    private readonly entries: ReadonlyArray<string>,
    private readonly separator: string,
  ) {
    const joined = entries.join(separator)
    this.text = `${joined}${separator}${joined}`
    this.starts = new Int32Array(2 * entries.length + 1)
    for (let i = 0; i < 2 * entries.length; i++) {
      this.starts[i + 1] =
        (this.starts[i] ?? 0) + (entries[i % entries.length]?.length ?? 0) + separator.length
    }
  }

  run(rng: Rng, bytes: number): string {
    const length = this.entries.length
    const first = rng.int(0, length - 1)
    let end = first
    for (let size = 0; size < bytes; end++) size += (this.entries[end % length]?.length ?? 0) + 1
    // A page is far smaller than a pool, so a run never wraps twice.
    if (end - first > length) throw new Error("Filler: a run longer than its pool")
    const from = this.starts[first] ?? 0
    return end === first ? "" : this.text.slice(from, (this.starts[end] ?? 0) - this.separator.length)
  }
}

const pools = new Map<Category, { readonly css: Pool; readonly items: Pool }>()

const poolsOf = (category: Category) => {
  const cached = pools.get(category)
  if (cached !== undefined) return cached
  const rng = new Rng(0x5eed, Categories.indexOf(category))
  const { adjectives, nouns } = categories[category].offer
  const css = Array.from(
    { length: POOL_SIZE },
    (_, i) =>
      `.u-${rng.pick(words)}-${i}{${rng.sample(properties, 3).join(";")};color:#${rng.digits("###")}}`,
  )
  const items = Array.from({ length: POOL_SIZE }, (_, i) => {
    const title = `${rng.pick(adjectives)} ${rng.pick(nouns)}`
    const slug = title.replace(/ /g, "-")
    return JSON.stringify({
      id: `sku-${i}`,
      title,
      slug,
      image: `/assets/img/catalog/${slug}@2x.webp`,
      price: `${rng.int(4, 180)}.${rng.pick(["00", "50", "95"])}`,
      rating: `${rng.int(3, 4)}.${rng.int(0, 9)}`,
      summary: sentence(rng),
      tags: rng.sample(words, 3),
    })
  })
  const made = { css: new Pool(css, ""), items: new Pool(items, ",") }
  pools.set(category, made)
  return made
}

export const criticalCss = (rng: Rng, site: SampleSite, bytes: number): string =>
  poolsOf(site.category).css.run(rng, bytes)

export const appState = (rng: Rng, site: SampleSite, bytes: number): string => {
  const settings = JSON.stringify({ name: site.name, locale: site.country.lang, currency: "local" })
  return `{"site":${settings},"catalog":[${poolsOf(site.category).items.run(rng, bytes)}]}`
}
