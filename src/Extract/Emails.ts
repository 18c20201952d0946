import freeMailDomains from "email-providers/all.json" with { type: "json" }
import topLevelDomains from "tlds/index.json" with { type: "json" }
import type { EmailType } from "../Domain/Contact.js"

/**
 * Email addresses: a linear scan for `@` with bounded expansion either side, then validation that keeps
 * only what a person could write to (real top-level domain, no asset names, placeholders or trackers).
 */

const tlds = new Set(topLevelDomains)
const freeMail = new Set(freeMailDomains)

const MAX_LOCAL = 64
const MAX_DOMAIN = 253

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
// `%` is scanned so that URL-encoded junk (`%20info@…`) is seen whole and then rejected.
const isLocalChar = (c: number) => isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45
const isDomainChar = (c: number) => isAlnum(c) || c === 46 || c === 45

// Asset names (`logo@2x.png`) end in a file extension; some (zip, mov) are also real top-level domains.
const fileExtensions = new Set(
  "png jpg jpeg gif webp svg avif ico bmp tif tiff heic css js mjs json map woff woff2 ttf otf eot mp4 webm mov mp3 wav pdf zip gz php html htm aspx jsp".split(
    " ",
  ),
)

const placeholderDomains = new Set(
  "example.com example.org example.net example.edu example.co.uk domain.com yourdomain.com yoursite.com yourcompany.com yourwebsite.com company.com email.com test.com sample.com website.com mysite.com site.com".split(
    " ",
  ),
)

const placeholderLocals = new Set(
  "you your yourname your.name yourmail youremail your.email name firstname lastname first.last firstname.lastname user username email someone somebody john.doe jane.doe johndoe janedoe".split(
    " ",
  ),
)

// Addresses a site's software emits that nobody answers: error trackers, site-builder internals.
const platformDomains = ["sentry.io", "wixpress.com", "sentry-next.wixpress.com", "bugsnag.com"]
const platformLocals = new Set(
  "noreply no-reply donotreply do-not-reply mailer-daemon postmaster bounce bounces".split(" "),
)

const roleMailboxes = new Set(
  `info information sales contact contacts contactus support office hello hi admin enquiries enquiry inquiries
  inquiry help helpdesk service services customerservice customercare care billing accounts accounting finance
  invoices payroll claims reception frontdesk bookings booking reservations reservation events weddings team
  marketing press media pr news jobs careers recruitment hr orders order shop store mail post webmaster privacy
  legal feedback general appointments appointment referrals patients clinic dispatch quotes quote estimates
  returns partners wholesale catering hire rentals lettings intake giftcards volunteers volunteer admissions
  bonjour kontakt praxis kanzlei termine bewerbung werkstatt anmeldung rezeption verwaltung buero verkauf
  accueil secretariat commandes devis rdv cabinet agence recrutement contato contacto ventas`.split(/\s+/),
)

const isDomainSuffix = (domain: string, suffix: string) => domain === suffix || domain.endsWith(`.${suffix}`)

export const validEmail = (candidate: string): string | undefined => {
  const at = candidate.indexOf("@")
  if (at <= 0 || at !== candidate.lastIndexOf("@")) return undefined
  const local = candidate.slice(0, at).toLowerCase()
  const domain = candidate.slice(at + 1).toLowerCase()
  if (local.length > MAX_LOCAL || domain.length > MAX_DOMAIN) return undefined
  if (!/^[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*$/.test(local)) return undefined
  const labels = domain.split(".")
  const tld = labels[labels.length - 1] ?? ""
  if (labels.length < 2 || !tlds.has(tld) || fileExtensions.has(tld)) return undefined
  if (!labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return undefined
  if (/^\d+x$/.test(labels[0] ?? "")) return undefined
  if (placeholderDomains.has(domain) || placeholderLocals.has(local)) return undefined
  if (platformLocals.has(local) || platformDomains.some((suffix) => isDomainSuffix(domain, suffix))) {
    return undefined
  }
  // Error-tracker keys and message ids: a long hexadecimal local part.
  if (/^[0-9a-f]{16,}$/.test(local) && /\d/.test(local)) return undefined
  return `${local}@${domain}`
}

export const emailsInText = (text: string): Array<string> => {
  const found: Array<string> = []
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at
    while (start > 0 && at - start <= MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--
    let end = at + 1
    let dots = 0
    while (end < text.length && end - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 46) dots++
      end++
    }
    // Sentence punctuation around the address is not part of it.
    while (start < at && text.charCodeAt(start) === 46) start++
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) {
      if (text.charCodeAt(end - 1) === 46) dots--
      end--
    }
    // Cheap rejections first: floods of `@` must not each cost a full validation.
    if (start === at || dots === 0) continue
    const email = validEmail(text.slice(start, end))
    if (email !== undefined) found.push(email)
  }
  return found
}

export const mailtoEmails = (href: string): Array<string> => {
  const trimmed = href.trim()
  if (trimmed.slice(0, 7).toLowerCase() !== "mailto:") return []
  const query = trimmed.indexOf("?")
  const raw = trimmed.slice(7, query === -1 ? undefined : query)
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return []
  }
  return decoded.split(/[,;]/).flatMap((part) => {
    const email = validEmail(part.trim())
    return email === undefined ? [] : [email]
  })
}

export const emailType = (email: string): EmailType => {
  const at = email.indexOf("@")
  const domain = email.slice(at + 1)
  if (freeMail.has(domain)) return "FREE"
  const first = email.slice(0, at).split(/[._+-]/)[0] ?? ""
  return roleMailboxes.has(first) ? "SERVICE" : "CORPORATE"
}
