import { describe, expect, it } from "@effect/vitest"
import { extract } from "../../src/Extract/index.js"

const run = (html: string, url?: string) => extract(html, { url, defaultRegion: "US" })
const emails = (html: string) => run(html).emails.map((email) => email.value)
const phones = (html: string, url?: string) => run(html, url).phones.map((phone) => phone.value)

describe("extract", () => {
  it("finds mailto, text, tel and social links in one page", () => {
    const result = run(`<p>Write to <a href="mailto:Info@AcmePlumbing.com?subject=Hi">us</a>
      or john.smith@gmail.com. Call <a href="tel:+1-415-555-2671">(415) 555-2671</a>.</p>
      <a href="https://www.linkedin.com/company/acme-plumbing/">LinkedIn</a>`)
    expect(result).toEqual({
      emails: [
        { value: "info@acmeplumbing.com", type: "SERVICE", source: "mailto" },
        { value: "john.smith@gmail.com", type: "FREE", source: "text" },
      ],
      phones: [{ value: "+14155552671", type: "UNKNOWN", source: "tel" }],
      socials: [
        {
          platform: "linkedin",
          url: "https://www.linkedin.com/company/acme-plumbing",
          handle: "acme-plumbing",
        },
      ],
    })
  })

  it("rejects asset names and placeholders", () => {
    expect(emails("<p>logo@2x.png sprite@3x.webp you@example.com name@domain.com</p>")).toEqual([])
  })

  it("does not glue neighbouring text nodes into an address", () => {
    expect(emails("<span>sales</span><span>@acme.com</span>")).toEqual([])
  })

  it("keeps fax numbers and order numbers out of phones", () => {
    expect(phones("<p>Phone: (415) 555-2671 | Fax: (415) 555-2672</p><p>Order #4155552673</p>")).toEqual([
      "+14155552671",
    ])
  })

  it("reads national numbers in the region of the site's country TLD", () => {
    expect(phones("<p>Tel: 020 7946 0958</p>", "https://www.acme.co.uk/contact")).toEqual(["+442079460958"])
  })
})
