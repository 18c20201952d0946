import { describe, expect, it } from "@effect/vitest"
import { extract } from "../../src/Extract/index.js"

const contacts = (html: string) => {
  const { emails, phones } = extract(html, { defaultRegion: "US" })
  return [...emails, ...phones].map((contact) => contact.value)
}

describe("what a reader cannot see is not a contact", () => {
  it("skips text and links hidden by an inline style, at any depth", () => {
    expect(
      contacts(`<div style="color:red; display: none"><p>Call (415) 555-2671</p><a href="mailto:old@acme.com">x</a></div>
        <span style="visibility:hidden">new@acme.com</span><p style="display:block">(415) 555-2672</p>`),
    ).toEqual(["+14155552672"])
  })

  it("skips elements with the hidden attribute but reads hidden=until-found", () => {
    expect(
      contacts(`<p hidden>(415) 555-2671</p><section hidden="hidden"><a href="tel:4155552673">a</a></section>
        <p hidden="until-found">(415) 555-2674</p>`),
    ).toEqual(["+14155552674"])
  })

  it("skips HTML comments", () => {
    expect(contacts("<!-- old: (415) 555-2671, old@acme.com --><p>Tel (415) 555-2675</p>")).toEqual([
      "+14155552675",
    ])
  })

  it("reads the title and the meta description, which show in search results", () => {
    expect(
      contacts(`<html lang="en-GB"><head><title>Acme Plumbing, Leeds, 0113 496 0208</title>
        <meta name="description" content="Emergency plumbers. Call 0113 496 0209 or email jobs@acme-plumbing.com"></head>`),
    ).toEqual(["jobs@acme-plumbing.com", "+441134960208", "+441134960209"])
  })
})
