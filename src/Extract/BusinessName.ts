/**
 * The name of the business a page belongs to, for a sales team's export: a JSON-LD organisation's
 * `name`, else `og:site_name`, else the part of the `<title>` that names the business
 * ("Contact us | Acme Plumbing Ltd" → "Acme Plumbing Ltd").
 */

interface NameSources {
  readonly organizationNames: ReadonlyArray<string>
  readonly siteName: string | undefined
  readonly title: string | undefined
  /** The page's address: the title part that matches its domain is the business. */
  readonly url: string | undefined
}

/** Longer than any business's name; a longer value is cut at a word. */
export const MAX_NAME_LENGTH = 120

// Title separators: bars, bullets, guillemets and dashes anywhere, a hyphen or colon only between words.
const SEPARATOR = /\s*[|·•»«–—]\s*|\s+[-~]\s+|:\s+/

// Words of a title that name the page, not the business; a part made only of these is dropped.
const PAGE_WORDS = new Set(
  `contact contacts contact-us us about home homepage page welcome to get in touch our team the
  impressum imprint kontakt contacto contactez nous a propos legal notice info information reach out
  find locations location directions hours opening support help enquiries inquiries form and of for
  über uns à`.split(/\s+/),
)

const compact = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")

const clean = (text: string): string | undefined => {
  const name = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^welcome to /i, "")
  if (name === "") return undefined
  if (name.length <= MAX_NAME_LENGTH) return name
  const cut = name.slice(0, MAX_NAME_LENGTH)
  const space = cut.lastIndexOf(" ")
  return (space > 0 ? cut.slice(0, space) : cut).trim()
}

const namesPage = (part: string) =>
  part
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .every((word) => word === "" || PAGE_WORDS.has(word))

/** The longest label of the host ("acme-plumbing" of www.acme-plumbing.co.uk), compacted. */
const domainLabel = (url: string | undefined): string | undefined => {
  if (url === undefined || !URL.canParse(url)) return undefined
  const labels = new URL(url).hostname.split(".").filter((label) => label !== "www")
  const longest = labels.reduce((best, label) => (label.length > best.length ? label : best), "")
  return longest.length >= 3 ? compact(longest) : undefined
}

const fromTitle = (title: string, url: string | undefined): string | undefined => {
  const parts = title
    .split(SEPARATOR)
    .map((part) => clean(part))
    .filter((part): part is string => part !== undefined && !namesPage(part))
  const label = domainLabel(url)
  const matching =
    label === undefined
      ? undefined
      : parts.find((part) => {
          const words = compact(part)
          return words.includes(label) || (words.length >= 3 && label.includes(words))
        })
  // A brand is usually the shortest part; the others describe the page.
  return (
    matching ??
    parts.reduce<string | undefined>(
      (best, part) => (best === undefined || part.length < best.length ? part : best),
      undefined,
    )
  )
}

export const businessName = (sources: NameSources): string | undefined => {
  for (const name of [...sources.organizationNames, sources.siteName]) {
    const cleaned = name === undefined ? undefined : clean(name)
    if (cleaned !== undefined) return cleaned
  }
  return sources.title === undefined ? undefined : fromTitle(sources.title, sources.url)
}
