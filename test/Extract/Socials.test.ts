import { describe, expect, it } from "@effect/vitest"
import { extract } from "../../src/Extract/index.js"

const socials = (...hrefs: Array<string>) =>
  extract(hrefs.map((href) => `<a href="${href}">link</a>`).join(""), { defaultRegion: "US" }).socials

describe("social profiles", () => {
  it("reduces each platform's profile links to a canonical URL and handle", () => {
    expect(
      socials(
        "https://uk.linkedin.com/company/Acme-Ltd/about/",
        "https://www.linkedin.com/in/jane-smith-123/",
        "https://www.linkedin.com/school/acme-academy",
        "https://m.facebook.com/AcmePlumbing?ref=footer",
        "https://www.facebook.com/profile.php?id=100063512345678",
        "https://twitter.com/AcmeLtd",
        "https://x.com/acme_support",
        "//instagram.com/acme.studio/?hl=en",
        "https://www.youtube.com/channel/UCx7Q9aZ3kT2mW5nR8pL1vYg",
        "https://www.youtube.com/c/AcmeVideos",
        "https://www.youtube.com/user/AcmeTV",
        "https://www.youtube.com/@AcmeShorts/videos",
        "https://www.tiktok.com/@acme.tok",
        "https://in.pinterest.com/acmeboards/kitchen-ideas/",
      ),
    ).toEqual([
      { platform: "linkedin", url: "https://www.linkedin.com/company/acme-ltd", handle: "acme-ltd" },
      { platform: "linkedin", url: "https://www.linkedin.com/in/jane-smith-123", handle: "jane-smith-123" },
      { platform: "linkedin", url: "https://www.linkedin.com/school/acme-academy", handle: "acme-academy" },
      { platform: "facebook", url: "https://www.facebook.com/acmeplumbing", handle: "acmeplumbing" },
      {
        platform: "facebook",
        url: "https://www.facebook.com/profile.php?id=100063512345678",
        handle: "100063512345678",
      },
      { platform: "x", url: "https://x.com/acmeltd", handle: "acmeltd" },
      { platform: "x", url: "https://x.com/acme_support", handle: "acme_support" },
      { platform: "instagram", url: "https://www.instagram.com/acme.studio", handle: "acme.studio" },
      {
        platform: "youtube",
        url: "https://www.youtube.com/channel/UCx7Q9aZ3kT2mW5nR8pL1vYg",
        handle: "UCx7Q9aZ3kT2mW5nR8pL1vYg",
      },
      { platform: "youtube", url: "https://www.youtube.com/c/acmevideos", handle: "acmevideos" },
      { platform: "youtube", url: "https://www.youtube.com/user/acmetv", handle: "acmetv" },
      { platform: "youtube", url: "https://www.youtube.com/@acmeshorts", handle: "acmeshorts" },
      { platform: "tiktok", url: "https://www.tiktok.com/@acme.tok", handle: "acme.tok" },
      { platform: "pinterest", url: "https://www.pinterest.com/acmeboards", handle: "acmeboards" },
    ])
  })

  it("excludes share and intent links, posts, videos, platform home pages and site-builder accounts", () => {
    expect(
      socials(
        "https://www.facebook.com/sharer/sharer.php?u=https://acme.com",
        "https://twitter.com/intent/tweet?url=https://acme.com",
        "https://twitter.com/share?url=https://acme.com",
        "https://www.linkedin.com/shareArticle?mini=true&url=https://acme.com",
        "https://pinterest.com/pin/create/button/?url=https://acme.com",
        "https://twitter.com/someone/status/1712345678901234567",
        "https://www.instagram.com/p/C8xYz12AbCd/",
        "https://www.tiktok.com/@acme/video/7301234567890123456",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.facebook.com/",
        "https://www.facebook.com/groups/123456",
        "https://www.facebook.com/wix",
        "https://twitter.com/squarespace",
        "https://www.acme.com/facebook.com/acme",
        "/instagram.com/acme",
      ),
    ).toEqual([])
  })

  it("reads JSON-LD sameAs and keeps one profile per platform and handle", () => {
    const jsonLd = { "@type": "Organization", sameAs: ["https://www.instagram.com/AcmeStudio/"] }
    expect(
      extract(
        `<script type="application/ld+json">${JSON.stringify(jsonLd)}</script><a href="https://instagram.com/acmestudio">ig</a>`,
        { defaultRegion: "US" },
      ).socials,
    ).toEqual([{ platform: "instagram", url: "https://www.instagram.com/acmestudio", handle: "acmestudio" }])
  })
})
