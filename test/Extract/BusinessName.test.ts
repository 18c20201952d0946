import { describe, expect, it } from "@effect/vitest"
import { MAX_NAME_LENGTH } from "../../src/Extract/BusinessName.js"
import { extract } from "../../src/Extract/index.js"

const nameOf = (head: string, url?: string) =>
  extract(`<html><head>${head}</head><body><p>Call us</p></body></html>`, { url, defaultRegion: "US" })
    .businessName

describe("business name", () => {
  it("is the part of the title that is not about the page", () => {
    expect(nameOf("<title>Contact us | Acme Plumbing Ltd</title>")).toBe("Acme Plumbing Ltd")
    expect(nameOf("<title>Acme Plumbing - Contact</title>")).toBe("Acme Plumbing")
    expect(nameOf("<title>About Us – Smith &amp; Sons</title>")).toBe("Smith & Sons")
    expect(nameOf("<title>  Welcome to\n  Acme   Corp </title>")).toBe("Acme Corp")
    expect(nameOf("<title>Get in touch: Hill-Baker Dental</title>")).toBe("Hill-Baker Dental")
  })

  it("prefers the title part that matches the page's domain, else the shortest", () => {
    const title = "<title>Acme Plumbing | Emergency plumbers in Leeds and Bradford</title>"
    expect(nameOf(title, "https://www.acme-plumbing.co.uk/contact")).toBe("Acme Plumbing")
    expect(nameOf("<title>Emergency plumbers in Leeds | Acme</title>", "https://unrelated.example/")).toBe(
      "Acme",
    )
  })

  it("takes og:site_name over the title, and a JSON-LD organisation's name over both", () => {
    const og = `<meta property="og:site_name" content="Acme Plumbing"><title>Contact | Acme Plumbing & Heating Leeds</title>`
    expect(nameOf(og)).toBe("Acme Plumbing")
    const jsonLd = `<script type="application/ld+json">
      {"@type": "WebPage", "name": "Contact", "publisher": {"@type": "LocalBusiness", "name": "Acme Plumbing Ltd"}}
    </script>`
    expect(nameOf(jsonLd + og)).toBe("Acme Plumbing Ltd")
    const person = `<script type="application/ld+json">{"@type": "Person", "name": "Jo Smith"}</script>`
    expect(nameOf(person + og)).toBe("Acme Plumbing")
  })

  it("is absent when the page names only itself, and an SVG's title is not the page's", () => {
    expect(nameOf("<title>Contact us</title>")).toBeUndefined()
    expect(nameOf("")).toBeUndefined()
    const svg = extract(`<body><svg><title>Phone icon</title></svg></body>`, { defaultRegion: "US" })
    expect(svg.businessName).toBeUndefined()
  })

  it("is cut at a word to a bounded length", () => {
    const name = nameOf(`<title>${"Acme ".repeat(10000)}</title>`)
    expect(name?.length).toBeLessThanOrEqual(MAX_NAME_LENGTH)
    expect(name).toMatch(/^Acme( Acme)+$/)
  })
})
