import { describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import { DomUtils, parseDocument } from "htmlparser2"
import { findPhoneNumbersInText, parsePhoneNumberFromString } from "libphonenumber-js/max"
import { extract } from "../../src/Extract/index.js"
import { Countries, generateCorpus, renderPage, type SamplePage } from "../../src/Sandbox/index.js"

const corpus = generateCorpus({ sites: 36, seed: 42 })

const documentOf = (page: SamplePage) => parseDocument(renderPage(page))

const hrefs = (page: SamplePage, prefix: string) =>
  DomUtils.findAll((element) => element.name === "a", documentOf(page).children)
    .map((element) => element.attribs.href ?? "")
    .filter((href) => href.startsWith(prefix))

/** What a reader sees: the text outside scripts and styles. */
const visibleText = (page: SamplePage) => {
  const document = documentOf(page)
  for (const hidden of DomUtils.findAll(
    (e) => e.name === "script" || e.name === "style",
    document.children,
  )) {
    DomUtils.removeElement(hidden)
  }
  return DomUtils.textContent(document)
}

describe("sample sites", () => {
  it("are the same for the same seed, different for another, and a prefix of a larger corpus", () => {
    const again = generateCorpus({ sites: 36, seed: 42 })
    expect(again.urls).toEqual(corpus.urls)
    expect(again.pages.map((page) => page.expected)).toEqual(corpus.pages.map((page) => page.expected))
    expect(again.pages.map(renderPage)).toEqual(corpus.pages.map(renderPage))
    expect(generateCorpus({ sites: 36, seed: 43 }).urls).not.toEqual(corpus.urls)
    const smaller = generateCorpus({ sites: 10, seed: 42 })
    expect(corpus.urls.slice(0, smaller.urls.length)).toEqual(smaller.urls)
  })

  it("render the bytes they always have, so bench figures compare across commits", () => {
    const hash = createHash("sha256")
    for (const page of generateCorpus({ sites: 300, seed: 1 }).pages) hash.update(renderPage(page))
    expect(hash.digest("hex")).toBe("edd3bcaab580f8bbd6cea117d8424f43786ad150b6d06bff3f6af9a20f28574f")
  })

  it("span every country and category, on hosts under the example domains", () => {
    expect(new Set(corpus.sites.map((site) => site.country.code))).toEqual(
      new Set(Countries.map((country) => country.code)),
    )
    expect(new Set(corpus.sites.map((site) => site.category)).size).toBe(5)
    expect(new Set(corpus.sites.map((site) => site.domain)).size).toBe(corpus.sites.length)
    for (const url of corpus.urls)
      expect(new URL(url).hostname).toMatch(/\.example\.(us|co\.uk|de|fr|com\.au|in)$/)
    expect(corpus.pages.filter((page) => page.kind === "about").length).toBeGreaterThan(0)
    expect(corpus.page(corpus.urls[3]!)?.url).toBe(corpus.urls[3])
  })

  it("weigh between 10 and 150 KB", () => {
    const sizes = corpus.pages.map((page) => Buffer.byteLength(renderPage(page)))
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10_000)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(150_000)
  })

  it("link every expected email and phone, and show phones in the site's national or international format", () => {
    for (const page of corpus.pages) {
      const text = visibleText(page)
      const mailtos = hrefs(page, "mailto:").map((href) => href.slice("mailto:".length).split("?")[0])
      for (const email of page.expected.emails)
        expect(mailtos.includes(email) || text.includes(email)).toBe(true)
      expect(new Set(mailtos)).toEqual(
        new Set(page.expected.emails.filter((email) => mailtos.includes(email))),
      )
      const tels = hrefs(page, "tel:").map((href) => href.slice("tel:".length))
      expect(new Set(tels)).toEqual(new Set(page.expected.phones))
      for (const phone of page.expected.phones) {
        const parsed = parsePhoneNumberFromString(phone)
        expect(parsed?.isValid()).toBe(true)
        expect(parsed?.country).toBe(page.site.country.code)
        expect(text.includes(parsed!.formatNational()) || text.includes(parsed!.formatInternational())).toBe(
          true,
        )
      }
      const socials = page.expected.socials.map((social) => social.url)
      expect(socials.every((url) => hrefs(page, url).length > 0)).toBe(true)
    }
  })

  it("hold no phone number in their visible text besides the expected ones", () => {
    for (const page of corpus.pages) {
      const text = visibleText(page)
      for (const region of [page.site.country.code, "US" as const]) {
        const found = findPhoneNumbersInText(text, region).map((match) => match.number.number)
        expect(found.filter((number) => !page.expected.phones.includes(number))).toEqual([])
      }
    }
  })

  it("carry decoys that are not contacts", () => {
    const contact = corpus.pages.find((page) => page.kind === "contact")!
    const html = renderPage(contact)
    for (const decoy of [
      "logo@2x.png",
      'placeholder="you@example.com"',
      "ingest.sentry.io",
      "facebook.com/sharer",
    ]) {
      expect(html).toContain(decoy)
    }
    expect(
      contact.expected.emails.some((email) => email.includes("@2x") || email.endsWith("example.com")),
    ).toBe(false)
    expect(contact.expected.socials.some((social) => social.url.includes("sharer"))).toBe(false)
  })

  it("yield exactly their expected contacts to the project's extractor, decoys and all", () => {
    const sorted = (values: ReadonlyArray<string>) => [...values].sort()
    for (const page of corpus.pages) {
      const found = extract(renderPage(page), { url: page.url, defaultRegion: "US" })
      expect({
        emails: sorted(found.emails.map((email) => email.value)),
        phones: sorted(found.phones.map((phone) => phone.value)),
        socials: sorted(found.socials.map((social) => `${social.platform}/${social.handle}`)),
      }).toEqual({
        emails: sorted(page.expected.emails),
        phones: sorted(page.expected.phones),
        socials: sorted(page.expected.socials.map((social) => `${social.platform}/${social.handle}`)),
      })
    }
  })
})
