import type { ExtractedSocial, SocialPlatform } from "../Domain/Contact.js"

/**
 * Social profiles from links: each platform's profile URL shapes, reduced to a canonical URL and
 * handle. Share and intent links, posts, videos, the platforms' own pages and site-builder accounts
 * are not profiles of the business.
 */

const platformOfHost = (host: string): SocialPlatform | undefined => {
  const bare = host.replace(/^(?:www|m|mobile|[a-z]{2}(?:-[a-z]{2})?)\./, "")
  if (bare === "linkedin.com") return "linkedin"
  if (bare === "facebook.com" || bare === "fb.com") return "facebook"
  if (bare === "twitter.com" || bare === "x.com") return "x"
  if (bare === "instagram.com") return "instagram"
  if (bare === "youtube.com") return "youtube"
  if (bare === "tiktok.com") return "tiktok"
  if (/^pinterest\.(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$/.test(bare)) return "pinterest"
  return undefined
}

// First path segments that are platform pages (share dialogs, posts, search …), never an account.
const reserved: Partial<Record<SocialPlatform, ReadonlySet<string>>> = {
  facebook: new Set(
    `sharer sharer.php share share.php dialog plugins tr l.php login help policies privacy legal business ads
    marketplace hashtag watch events groups photo.php photos story.php permalink.php home.php gaming search
    settings`.split(/\s+/),
  ),
  x: new Set(
    "intent share home search hashtag i explore settings login signup tos privacy messages notifications compose".split(
      " ",
    ),
  ),
  instagram: new Set("p reel reels explore stories accounts about developer legal direct tv".split(" ")),
  pinterest: new Set(
    "pin search ideas explore today categories business about _ login password settings".split(" "),
  ),
}

// Accounts of the tools a small-business site is built with, linked from "powered by" footers.
const builderAccounts = new Set(
  "wix squarespace wordpress wordpressdotcom shopify godaddy weebly elementor jimdo webflow wixcom".split(
    " ",
  ),
)

const handlePattern: Record<SocialPlatform, RegExp> = {
  linkedin: /^[\w-]{2,100}$/,
  facebook: /^[\w.-]{2,100}$/,
  x: /^\w{1,15}$/,
  instagram: /^[\w.]{1,30}$/,
  youtube: /^[\w.-]{1,100}$/,
  tiktok: /^[\w.]{2,24}$/,
  pinterest: /^[\w.-]{3,30}$/,
}

const profile = (platform: SocialPlatform, url: string, handle: string): ExtractedSocial | undefined =>
  handlePattern[platform].test(handle) && !builderAccounts.has(handle.toLowerCase())
    ? { platform, url, handle }
    : undefined

const profileOf = (platform: SocialPlatform, segments: ReadonlyArray<string>, url: URL) => {
  const [first = "", second = "", third = ""] = segments
  const lower = first.toLowerCase()
  if (reserved[platform]?.has(lower)) return undefined
  switch (platform) {
    case "linkedin": {
      if (!["company", "in", "school", "showcase"].includes(lower)) return undefined
      const handle = second.toLowerCase()
      return profile(platform, `https://www.linkedin.com/${lower}/${handle}`, handle)
    }
    case "facebook": {
      if (lower === "profile.php") {
        const id = url.searchParams.get("id") ?? ""
        return /^\d+$/.test(id)
          ? profile(platform, `https://www.facebook.com/profile.php?id=${id}`, id)
          : undefined
      }
      if (lower === "pages" || lower === "people") {
        return /^\d+$/.test(third) ? profile(platform, `https://www.facebook.com/${third}`, third) : undefined
      }
      const handle = (lower === "pg" ? second : first).toLowerCase()
      return profile(platform, `https://www.facebook.com/${handle}`, handle)
    }
    case "x":
      // A single post is someone's content (often an embedded tweet), not the site's account.
      return second === "status" ? undefined : profile(platform, `https://x.com/${lower}`, lower)
    case "instagram":
      return profile(platform, `https://www.instagram.com/${lower}`, lower)
    case "youtube": {
      if (first.startsWith("@")) {
        const handle = first.slice(1).toLowerCase()
        return profile(platform, `https://www.youtube.com/@${handle}`, handle)
      }
      // Channel ids are case-sensitive; custom and user names are not.
      if (lower === "channel") return profile(platform, `https://www.youtube.com/channel/${second}`, second)
      if (lower === "c" || lower === "user") {
        const handle = second.toLowerCase()
        return profile(platform, `https://www.youtube.com/${lower}/${handle}`, handle)
      }
      return undefined
    }
    case "tiktok": {
      if (!first.startsWith("@") || second !== "") return undefined
      const handle = first.slice(1).toLowerCase()
      return profile(platform, `https://www.tiktok.com/@${handle}`, handle)
    }
    case "pinterest":
      return profile(platform, `https://www.pinterest.com/${lower}`, lower)
  }
}

export const socialProfile = (href: string): ExtractedSocial | undefined => {
  const trimmed = href.trim()
  if (!/^(?:https?:)?\/\//i.test(trimmed)) return undefined
  let url: URL
  try {
    url = new URL(trimmed.startsWith("//") ? `https:${trimmed}` : trimmed)
  } catch {
    return undefined
  }
  const platform = platformOfHost(url.hostname.toLowerCase())
  if (platform === undefined) return undefined
  const segments = url.pathname.split("/").filter((segment) => segment !== "")
  if (segments.length === 0) return undefined
  return profileOf(
    platform,
    segments.map((segment) => {
      try {
        return decodeURIComponent(segment)
      } catch {
        return segment
      }
    }),
    url,
  )
}
