import { describe, expect, it } from "vitest"
import { extract } from "../../src/Extract/index.js"
import { renderReason } from "../../src/Fetch/RenderDecision.js"
import { generateCorpus, renderPage } from "../../src/Sandbox/index.js"
import { renderAppShell } from "../../src/Sandbox/Html.js"

/** Whether a plain page is worth 10 credits more: only script-built or blocked pages with nothing found. */

const reasonFor = (html: string) =>
  renderReason(html, extract(html, { url: "https://shop.example/contact", defaultRegion: "US" }))

const corpus = generateCorpus({ sites: 5, seed: 3, jsShare: 0.2 })
const page = corpus.pages[0]!

const filler =
  "<p>We repair bicycles of every kind in our workshop near the station, six days a week.</p>".repeat(4)

describe("renderReason", () => {
  it("asks for a render of an app shell: a #root, script bundles and nothing found", () => {
    expect(reasonFor(renderAppShell(page))).toBe("app-shell")
    expect(
      reasonFor('<body><div id="__next"></div><script src="/_next/static/main.js"></script></body>'),
    ).toBe("app-shell")
  })

  it("never for a static page whose contacts were found, however script-heavy", () => {
    expect(reasonFor(renderPage(page))).toBeUndefined()
    expect(
      reasonFor(
        '<body><div id="root"><a href="mailto:info@brightbikes.co.uk">mail</a></div><script src="/a.js"></script></body>',
      ),
    ).toBeUndefined()
  })

  it("never for a static page with text and no contacts: rendering would not add any", () => {
    expect(
      reasonFor(`<body><h1>About us</h1>${filler}<script src="/analytics.js"></script></body>`),
    ).toBeUndefined()
  })

  it("for a <noscript> asking for JavaScript, empty contact links, an empty body with scripts, a challenge page", () => {
    expect(
      reasonFor(`<body>${filler}<noscript>Please enable JavaScript to view this site.</noscript></body>`),
    ).toBe("noscript")
    expect(reasonFor(`<body>${filler}<a href="mailto:">Email us</a> <a href="tel:">Call</a></body>`)).toBe(
      "empty-contact-links",
    )
    expect(reasonFor('<body><main></main><script src="/bundle.js"></script></body>')).toBe("empty-body")
    expect(reasonFor("<head><title>Just a moment...</title></head><body></body>")).toBe("blocked")
  })
})
