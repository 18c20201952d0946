import { describe, expect, it } from "@effect/vitest"
import { extract } from "../../src/Extract/index.js"

const emails = (html: string) => extract(html, { defaultRegion: "US" }).emails
const values = (html: string) => emails(html).map((email) => email.value)

describe("emails", () => {
  it("reads mailto: links decoded, without their query, several per link", () => {
    expect(
      emails(
        `<a href="mailto:Info%40Acme.com?subject=Hello">x</a><a href="MAILTO:a@acme.com,b@acme.com">y</a>`,
      ),
    ).toEqual([
      { value: "info@acme.com", type: "SERVICE", source: "mailto" },
      { value: "a@acme.com", type: "CORPORATE", source: "mailto" },
      { value: "b@acme.com", type: "CORPORATE", source: "mailto" },
    ])
  })

  it("ignores a share-by-email link that names no address", () => {
    expect(values(`<a href="mailto:?subject=Look&body=https://acme.com">Email</a>`)).toEqual([])
  })

  it("reads plain text lower-cased, de-duplicated, without sentence punctuation", () => {
    expect(emails("<p>Write to Mary.Smith@Acme.co.uk. Or mary.smith@acme.co.uk!</p>")).toEqual([
      { value: "mary.smith@acme.co.uk", type: "CORPORATE", source: "text" },
    ])
  })

  it("decodes HTML entities", () => {
    expect(values("<p>&#105;nfo&#64;acme&#46;com</p>")).toEqual(["info@acme.com"])
  })

  it("reads [at]/(dot)/{at} obfuscation and a spaced @", () => {
    expect(
      emails(
        `<p>sales [at] acme [dot] com</p><p>jobs(at)acme.com</p><p>press {at} acme {dot} com</p><p>team @ acme.com</p>`,
      ),
    ).toEqual([
      { value: "sales@acme.com", type: "SERVICE", source: "obfuscated" },
      { value: "jobs@acme.com", type: "SERVICE", source: "obfuscated" },
      { value: "press@acme.com", type: "SERVICE", source: "obfuscated" },
      { value: "team@acme.com", type: "SERVICE", source: "obfuscated" },
    ])
  })

  it("reads the German [ad] for the at sign", () => {
    expect(values("<p>kontakt [ad] jaegerblatt.ch</p><p>Werbung (ad) Verlag</p>")).toEqual([
      "kontakt@jaegerblatt.ch",
    ])
  })

  it("reads `name at domain dot com` only where every dot is spelled out", () => {
    expect(values("<p>Email tom at mcallister dot co dot uk.</p>")).toEqual(["tom@mcallister.co.uk"])
    expect(
      values("<p>Find us at acme.com</p><p>Visit us at acme dot com</p><p>Follow us @ acme.com</p>"),
    ).toEqual([])
  })

  it("decodes Cloudflare-protected addresses", () => {
    const hex = "5a323f3636351a3b39373f74393537"
    expect(emails(`<span data-cfemail="${hex}">[email protected]</span>`)).toEqual([
      { value: "hello@acme.com", type: "SERVICE", source: "cfemail" },
    ])
    expect(values(`<a href="/cdn-cgi/l/email-protection#${hex}">mail us</a>`)).toEqual(["hello@acme.com"])
  })

  it("reads JSON-LD email at any depth and ignores broken JSON-LD", () => {
    const jsonLd = {
      "@graph": [{ "@type": "Organization", contactPoint: [{ email: "mailto:support@acme.com" }] }],
      email: ["owner@acme.com"],
    }
    expect(
      emails(
        `<script type="application/ld+json">${JSON.stringify(jsonLd)}</script><script type="application/ld+json">{oops</script>`,
      ),
    ).toEqual([
      { value: "owner@acme.com", type: "CORPORATE", source: "jsonld" },
      { value: "support@acme.com", type: "SERVICE", source: "jsonld" },
    ])
  })

  it("reads microdata from content, href and text", () => {
    expect(
      emails(
        `<meta itemprop="email" content="a@acme.com"><a itemprop="email" href="mailto:b@acme.com">mail</a><span itemprop="email"> c@acme.com </span>`,
      ),
    ).toEqual([
      { value: "b@acme.com", type: "CORPORATE", source: "mailto" },
      { value: "a@acme.com", type: "CORPORATE", source: "microdata" },
      { value: "c@acme.com", type: "CORPORATE", source: "microdata" },
    ])
  })

  it("rejects asset names, placeholders, tracker and platform addresses, URL-encoded junk, bad TLDs", () => {
    expect(
      values(`<p>logo@2x.png sprite@3x.webp hero@2x.jpg archive@2x.zip</p>
        <p>you@example.com name@domain.com user@yourdomain.com jane.doe@company.com</p>
        <p>8f4a1c2b3d4e5f60718293a4b5c6d7e8@o123456.ingest.sentry.io x@sentry-next.wixpress.com noreply@acme.com</p>
        <p>%20info@acme.com info@acme.notatld info@localhost</p>`),
    ).toEqual([])
  })

  it("ignores scripts, styles and attributes", () => {
    expect(
      values(
        `<script>var a = "info@acme.com"</script><style>/* css@acme.com */</style><input placeholder="me@acme.com">`,
      ),
    ).toEqual([])
  })

  it("does not glue neighbouring text nodes into an address", () => {
    expect(values("<span>sales</span><span>@acme.com</span>")).toEqual([])
  })

  it("types free-mail, role and personal addresses", () => {
    expect(
      emails(
        "<p>joe.plumber@gmail.com garcia@orange.fr sales.uk@acme.com info+web@acme.com kontakt@acme.de jane@acme.com</p>",
      ),
    ).toEqual([
      { value: "joe.plumber@gmail.com", type: "FREE", source: "text" },
      { value: "garcia@orange.fr", type: "FREE", source: "text" },
      { value: "sales.uk@acme.com", type: "SERVICE", source: "text" },
      { value: "info+web@acme.com", type: "SERVICE", source: "text" },
      { value: "kontakt@acme.de", type: "SERVICE", source: "text" },
      { value: "jane@acme.com", type: "CORPORATE", source: "text" },
    ])
  })

  it("keeps the most explicit source of an address found several ways", () => {
    expect(emails(`<p>info@acme.com</p><a href="mailto:info@acme.com">mail</a>`)).toEqual([
      { value: "info@acme.com", type: "SERVICE", source: "mailto" },
    ])
  })
})
