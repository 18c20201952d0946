import { describe, expect, it } from "@effect/vitest"
import type { CountryCode } from "libphonenumber-js/max"
import { extract } from "../../src/Extract/index.js"

const phones = (html: string, options: { url?: string; defaultRegion?: CountryCode } = {}) =>
  extract(html, { url: options.url, defaultRegion: options.defaultRegion ?? "US" }).phones
const values = (html: string, options: { url?: string; defaultRegion?: CountryCode } = {}) =>
  phones(html, options).map((phone) => phone.value)

describe("phones", () => {
  it("reads a tel: link without the menu option dialled after a pause", () => {
    expect(values(`<a href="tel:(702)-267-4101,1">267-4101 (option 1)</a>`)).toEqual(["+17022674101"])
  })

  it("reads tel: links (decoded) and callto: links in E.164", () => {
    expect(
      phones(`<a href="tel:+1%20(415)%20555-2671">call</a><a href="callto:+442079460321">uk</a>`),
    ).toEqual([
      { value: "+14155552671", type: "BUSINESS", source: "tel" },
      { value: "+442079460321", type: "BUSINESS", source: "tel" },
    ])
  })

  it("reads the usual national formats of the page's region", () => {
    expect(values("<p>(415) 555-2671</p><p>415.555.2672</p><p>1-800-555-0175</p>")).toEqual([
      "+14155552671",
      "+14155552672",
      "+18005550175",
    ])
    expect(values("<p>Tel. 030 / 28 49 37-10</p>", { defaultRegion: "DE" })).toEqual(["+493028493710"])
    expect(values("<p>Tél. : 01 43 55 27 19</p>", { defaultRegion: "FR" })).toEqual(["+33143552719"])
    expect(values("<p>Ph: (03) 9654 2871</p>", { defaultRegion: "AU" })).toEqual(["+61396542871"])
    expect(values("<p>Mob.: 98200 12345</p>", { defaultRegion: "IN" })).toEqual(["+919820012345"])
  })

  it("takes the region from the URL's country TLD, the canonical link, <html lang>, or the page's +CC numbers", () => {
    const uk = "<p>Tel: 020 7946 0958</p>"
    expect(values(uk, { url: "https://acme.co.uk/contact" })).toEqual(["+442079460958"])
    expect(values(`<link rel="canonical" href="https://acme.co.uk/">${uk}`)).toEqual(["+442079460958"])
    expect(values(`<html lang="en-GB"><body>${uk}</body></html>`)).toEqual(["+442079460958"])
    expect(values(`<p>+44 20 7946 0000</p>${uk}`)).toEqual(["+442079460000", "+442079460958"])
    expect(values(uk, { url: "https://acme.io/" })).toEqual([])
  })

  it("keeps extensions after the E.164 number, as in a tel: URI", () => {
    expect(
      values(`<p>(614) 555-0150 x101</p><p>(614) 555-0151 ext. 104</p><p>614.555.0152 x305</p>
        <p>614-555-0153 x12</p><a href="tel:+16145550154;ext=7">desk</a>`),
    ).toEqual([
      "+16145550154;ext=7",
      "+16145550150;ext=101",
      "+16145550151;ext=104",
      "+16145550152;ext=305",
      "+16145550153;ext=12",
    ])
  })

  it("never takes dates, times, year ranges, amounts, addresses or identifiers", () => {
    expect(
      values(`<p>Closed 12/24/2024 and 2024-12-31, open 9.00 - 17.30, since 1998-2024.</p>
        <p>$4,155,552,671 or €1.234.567 or 1.250.000 customers. 1500 Ocean Dr #1203, Miami, FL 33139.</p>
        <p>Order #4155552673 · RO# 4155552674 · Invoice 415-555-2675 · v2.14.3 · 192.168.100.200</p>
        <p>4TTR6060J1000A · NPI 1487652390 · 6006 4912 3456 7890</p>`),
    ).toEqual([])
  })

  it("rejects dates, year ranges, hours, amounts and ids even where the digits would be a valid number", () => {
    expect(values("<p>Closed 31/12/2024 and 31.12.2024</p>", { defaultRegion: "HK" })).toEqual([])
    expect(values("<p>Serving you 2019-2024</p>", { defaultRegion: "DK" })).toEqual([])
    expect(values("<p>Open 9.00 - 17.30, over 5.550.000 served</p>", { defaultRegion: "IS" })).toEqual([])
    expect(
      values("<p>Kit 9123 4567A</p><p>Total $9123 4568</p><p>Total 9123 4569 €</p><p>Host 81.92.33.44</p>", {
        defaultRegion: "SG",
      }),
    ).toEqual([])
    expect(values("<p>Call 9123 4567</p>", { defaultRegion: "SG" })).toEqual(["+6591234567"])
  })

  it("takes an unformatted digit run only when it is labelled as a phone", () => {
    expect(values("<p>4155552671</p>")).toEqual([])
    expect(values("<p>Phone: 4155552671</p>")).toEqual(["+14155552671"])
  })

  it("does not read a number without its trunk 0 where the country always writes it", () => {
    expect(values("<p>UTR 12345 67890</p><p>Steuernummer 21/815/08150</p>", { defaultRegion: "GB" })).toEqual(
      [],
    )
    expect(values("<p>e.g. 12345 67890</p>", { defaultRegion: "GB" })).toEqual([])
  })

  it("reads fax numbers too, in the same node, in a neighbour node or behind a tel: link", () => {
    expect(
      values(`<p>Phone: (415) 555-2671 | Fax: (415) 555-2672</p><dl><dt>Fax</dt><dd>415-555-2673</dd></dl>
        <p><b>Fax:</b> <a href="tel:4155552675">415-555-2675</a></p>`),
    ).toEqual(["+14155552675", "+14155552671", "+14155552672", "+14155552673"])
    expect(values("<p>Tel/Fax: 0341 / 2 11 88 40</p>", { defaultRegion: "DE" })).toEqual(["+493412118840"])
  })

  it("splits two numbers joined by a slash", () => {
    expect(values("<p>022 2634 5678 / 022 2634 5679</p>", { defaultRegion: "IN" })).toEqual([
      "+912226345678",
      "+912226345679",
    ])
  })

  it("reads JSON-LD and microdata telephones and fax numbers", () => {
    expect(
      phones(`<script type="application/ld+json">{"@type":"LocalBusiness","telephone":"+1-212-555-0148","faxNumber":"+1-212-555-0149"}</script>
        <span itemprop="telephone">(503) 555-0161</span>`),
    ).toEqual([
      { value: "+12125550148", type: "BUSINESS", source: "jsonld" },
      { value: "+12125550149", type: "BUSINESS", source: "jsonld" },
      { value: "+15035550161", type: "BUSINESS", source: "microdata" },
    ])
  })

  it("types fixed lines, toll-free and shared-cost numbers as business, mobiles as personal", () => {
    expect(
      phones("<p>+44 20 7946 0958</p><p>+44 7911 123456</p><p>+1 800 555 0175</p><p>+61 1300 652 418</p>"),
    ).toEqual([
      { value: "+442079460958", type: "BUSINESS", source: "text" },
      { value: "+447911123456", type: "PERSONAL", source: "text" },
      { value: "+18005550175", type: "BUSINESS", source: "text" },
      { value: "+611300652418", type: "BUSINESS", source: "text" },
    ])
  })

  it("types a US number as business unless labelled mobile, a mobile as personal unless labelled office", () => {
    const types = (html: string) => phones(html).map(({ value, type }) => `${value} ${type}`)
    expect(types("<p>Tel: (415) 555-2671</p><p>Cell: (415) 555-2672</p><p>M: (415) 555-2673</p>")).toEqual([
      "+14155552671 BUSINESS",
      "+14155552672 PERSONAL",
      "+14155552673 PERSONAL",
    ])
    expect(types("<p>Mobile: +44 7911 123456</p><p>Office: +44 7911 123457</p>")).toEqual([
      "+447911123456 PERSONAL",
      "+447911123457 BUSINESS",
    ])
  })
})
