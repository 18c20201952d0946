/**
 * Inputs built to trip extractors into quadratic work or backtracking: runs of the characters the
 * scanners look for, deep nesting, and floods of near-valid contacts. Each is 1 MB.
 */

export interface AdversarialCase {
  readonly name: string
  readonly html: string
}

const MB = 1024 * 1024

const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB)

const numbered = (make: (i: number) => string) => {
  const parts: Array<string> = []
  let length = 0
  for (let i = 0; length < MB; i++) {
    const part = make(i)
    parts.push(part)
    length += part.length
  }
  return parts.join("").slice(0, MB)
}

const four = (i: number) => String(i % 10000).padStart(4, "0")

export const adversarialCases = (): Array<AdversarialCase> =>
  Object.entries({
    "runs of @": fill("@"),
    "a@ repeated": fill("a@"),
    "dotted local part": fill("a.") + "@example.org",
    "runs of dots": fill("."),
    "one long local part": fill("a") + "@acme.com",
    "one long domain": "info@" + fill("a."),
    "runs of digits": fill("1"),
    "digits and spaces": fill("1 "),
    "plus and parenthesis": fill("+1 ("),
    "digits and dashes": fill("1-"),
    "mixed phone punctuation": fill("1.-/ "),
    "distinct national numbers": numbered((i) => `(415) 555-${four(i)} `),
    "distinct international numbers": numbered((i) => `+44 20 7946 ${four(i)} `),
    "tel: links": numbered((i) => `<a href="tel:+1415555${four(i)}">call</a>`),
    "mailto: links": numbered((i) => `<a href="mailto:user${i}@acme.com">mail</a>`),
    "emails in text": numbered((i) => `user${i}@acme.com `),
    "social links": numbered((i) => `<a href="https://www.facebook.com/page${i}">f</a>`),
    "nested divs": fill("<div>"),
    "nested microdata": fill('<span itemprop="email">'),
    "stray close tags": fill("<div>").slice(0, MB / 2) + fill("</span>").slice(0, MB / 2),
    "bracket markers": fill("[at]"),
    "spaced bracket markers": fill("[ at ] "),
    "spelled-out words": fill("a at b dot "),
    "spaced @": fill(" @ "),
    entities: fill("&#64;"),
    "fax labels": fill("fax ") + "555-123-4567",
    "deep JSON-LD arrays": `<script type="application/ld+json">${"[".repeat(MB / 2)}${"]".repeat(MB / 2)}</script>`,
    "deep JSON-LD objects": `<script type="application/ld+json">${'{"a":'.repeat(MB / 6)}1${"}".repeat(MB / 6)}</script>`,
    "Cloudflare payloads": fill(`<span data-cfemail="${"ab".repeat(200)}">x</span>`),
    "open angle brackets": fill("<"),
    "one attribute-heavy tag": `<a ${fill('x="1" ')}>`,
    "unterminated comment": `<!--${fill("-")}`,
  }).map(([name, html]) => ({ name, html }))
