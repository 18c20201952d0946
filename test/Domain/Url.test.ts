import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { normalizeUrl } from "../../src/Domain/Url.js"

describe("normalizeUrl", () => {
  it.each([
    ["HTTPS://WWW.Example.COM/Contact?x=1#team", "https://www.example.com/Contact?x=1", "example.com"],
    ["  http://shop.example.co.uk  ", "http://shop.example.co.uk/", "shop.example.co.uk"],
    ["https://example.com:443/about", "https://example.com/about", "example.com"],
    ["https://bücher.de/kontakt", "https://xn--bcher-kva.de/kontakt", "xn--bcher-kva.de"],
  ])("%s becomes %s", (input, url, domain) => {
    expect(normalizeUrl(input)).toEqual(Either.right({ url, domain }))
  })

  it.each([
    ["", "empty line"],
    ["ftp://example.com/file", "scheme ftp is not http or https"],
    ["javascript:alert(1)", "scheme javascript is not http or https"],
    ["example.com/contact", "not a URL"],
    ["https://user:pw@example.com/", "credentials in the URL"],
    ["https://intranet/", "no valid host"],
    [`https://example.com/${"a".repeat(2100)}`, "longer than 2048 characters"],
  ])("refuses %j: %s", (input, reason) => {
    expect(normalizeUrl(input)).toEqual(Either.left(reason))
  })
})
