import { appState, criticalCss, paragraphs } from "./Filler.js"
import { Rng } from "./Random.js"
import type { SampleEmail, SamplePhone } from "./SiteContacts.js"
import type { SamplePage, SampleSite } from "./Sites.js"

/**
 * The HTML of a sample page: realistic chrome (head, cookie banner, nav, footer, analytics, a large
 * inline app state) around the site's contacts, plus decoys a careless extractor would take for
 * contacts: `logo@2x.png` asset names, a tracking DSN, a form placeholder, share links, a pixel,
 * order and registration numbers. Every true contact is also in a mailto/tel link or plain text.
 */

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const MIN_BYTES = 10_500
const MAX_BYTES = 148_000

const mailto = (email: SampleEmail) =>
  email.shown === "text"
    ? `<p class="contact-line">${escapeHtml(email.label)}: ${email.address}</p>`
    : `<p class="contact-line">${escapeHtml(email.label)}: <a href="mailto:${email.address}${
        email.subject === undefined ? "" : `?subject=${encodeURIComponent(email.subject)}`
      }">${email.address}</a></p>`

const tel = (phone: SamplePhone) =>
  `<p class="contact-line">${escapeHtml(phone.label)}: <a href="tel:${phone.e164}">${escapeHtml(phone.display)}</a></p>`

const jsonLd = (site: SampleSite) =>
  JSON.stringify({
    "@context": "https://schema.org",
    "@type": {
      restaurant: "Restaurant",
      clinic: "MedicalClinic",
      law: "LegalService",
      trades: "HomeAndConstructionBusiness",
      shop: "Store",
    }[site.category],
    name: site.name,
    url: `https://${site.host}/`,
    logo: `https://${site.host}/assets/img/logo@2x.png`,
    telephone: site.mainPhone.e164,
    email: site.mainEmail.address,
    address: {
      "@type": "PostalAddress",
      streetAddress: site.street,
      addressLocality: site.city,
      addressCountry: site.country.code,
    },
    sameAs: site.socials.map((social) => social.url),
  })

const head = (rng: Rng, site: SampleSite, title: string) => `<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | ${escapeHtml(site.name)}</title>
<meta name="description" content="${escapeHtml(`${site.name}, ${site.city}. ${title}.`)}">
<meta property="og:image" content="https://${site.host}/assets/img/og-image@2x.jpg">
<link rel="icon" href="/favicon.ico"><link rel="apple-touch-icon" href="/assets/img/touch-icon@3x.png">
<link rel="preload" href="/assets/fonts/inter-var.woff2" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="/assets/css/main.${rng.digits("######")}.css">
<style></style>
<script type="application/ld+json">${jsonLd(site)}</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-${rng.digits("##")}SANDBOX"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag("js",new Date());
Sentry.init({dsn:"https://${rng.digits("########")}ab${rng.digits("######")}cd@o${rng.digits("######")}.ingest.sentry.io/${rng.digits("#######")}",tracesSampleRate:0.1});</script>
</head>`

const header = (site: SampleSite) => {
  const labels = site.country.labels
  return `<div class="cookie-banner" role="dialog" aria-live="polite"><p>${escapeHtml(labels.cookies)}</p>
<button class="btn" data-consent="all">${escapeHtml(labels.accept)}</button><a href="/privacy">Privacy</a></div>
<header class="site-header"><a class="logo" href="/"><img src="/assets/img/logo.png" srcset="/assets/img/logo@2x.png 2x, /assets/img/logo@3x.png 3x" alt="${escapeHtml(site.name)}" width="180" height="48"></a>
<nav aria-label="Main"><ul><li><a href="/">${escapeHtml(labels.home)}</a></li><li><a href="/services">${escapeHtml(labels.services)}</a></li>
${site.aboutPath === undefined ? "" : `<li><a href="${site.aboutPath}">${escapeHtml(labels.about)}</a></li>`}
<li><a href="/blog">Blog</a></li><li><a href="${site.contactPath}">${escapeHtml(labels.contact)}</a></li></ul></nav>
<button class="menu-toggle" aria-expanded="false"><svg width="24" height="24" aria-hidden="true"><use href="#icon-menu"></use></svg></button></header>`
}

const shareBar = (url: string, label: string) => {
  const target = encodeURIComponent(url)
  return `<aside class="share"><h2>${escapeHtml(label)}</h2><ul>
<li><a href="https://www.facebook.com/sharer/sharer.php?u=${target}" rel="noopener">Facebook</a></li>
<li><a href="https://twitter.com/intent/tweet?url=${target}" rel="noopener">X</a></li>
<li><a href="https://www.linkedin.com/sharing/share-offsite/?url=${target}" rel="noopener">LinkedIn</a></li>
<li><a href="https://pinterest.com/pin/create/button/?url=${target}" rel="noopener">Pinterest</a></li></ul></aside>`
}

const footer = (rng: Rng, site: SampleSite) => {
  const labels = site.country.labels
  return `<footer class="site-footer"><div class="footer-col"><h3>${escapeHtml(site.name)}</h3>
<address>${escapeHtml(site.street)}<br>${escapeHtml(site.city)}</address>
${tel(site.mainPhone)}
${mailto(site.mainEmail)}</div>
<div class="footer-col"><h3>${escapeHtml(labels.follow)}</h3><ul class="social">${site.socials
    .map(
      (social) =>
        `<li><a href="${social.url}" target="_blank" rel="noopener" aria-label="${social.platform}"><svg width="20" height="20"><use href="#icon-${social.platform}"></use></svg></a></li>`,
    )
    .join("")}</ul></div>
<div class="footer-legal"><p>© 2024 ${escapeHtml(site.name)}. ${escapeHtml(site.country.registration(rng))}</p>
<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/sitemap.xml">Sitemap</a></p></div>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=${rng.digits("###############")}&amp;ev=PageView"></noscript></footer>`
}

const contactMain = (rng: Rng, site: SampleSite) => {
  const labels = site.country.labels
  return `<main id="content"><h1>${escapeHtml(labels.contact)}</h1>
<section class="contact-details"><h2>${escapeHtml(site.name)}</h2>
<h3>${escapeHtml(labels.address)}</h3><address>${escapeHtml(site.street)}, ${escapeHtml(site.city)}</address>
${tel(site.mainPhone)}
${site.extraPhones.map(tel).join("\n")}
${mailto(site.mainEmail)}
${site.extraEmails.map(mailto).join("\n")}</section>
<section class="contact-form"><h2>Send us a message</h2><form action="/api/contact" method="post">
<label>Name <input name="name" autocomplete="name"></label>
<label>${escapeHtml(labels.email)} <input type="email" name="email" placeholder="you@example.com"></label>
<label>Message <textarea name="message" rows="5"></textarea></label><button type="submit">Send</button></form>
<p class="hint">Already ordered? Quote your order reference ORD-${rng.digits("####")}-${rng.digits("###")}K so we can find it quickly.</p></section>
${paragraphs(rng, 2)}</main>`
}

const aboutMain = (
  rng: Rng,
  site: SampleSite,
) => `<main id="content"><h1>${escapeHtml(site.country.labels.about)}</h1>
${paragraphs(rng, 4)}
<section class="team"><h2>Team</h2><ul>${site.people.map((person) => `<li><img src="/assets/img/team/${person.split(" ")[0]?.toLowerCase()}@2x.jpg" alt=""> ${escapeHtml(person)}</li>`).join("")}</ul></section></main>`

/** The page's full HTML, the same bytes on every call; its size lies between 10 and 150 KB. */
export const renderPage = (page: SamplePage): string => {
  const site = page.site
  const rng = new Rng(site.seed, site.index * 8 + (page.kind === "contact" ? 2 : 3))
  const target = Math.round(Math.exp(Math.log(MIN_BYTES) + rng.number() * Math.log(MAX_BYTES / MIN_BYTES)))
  const title = page.kind === "contact" ? site.country.labels.contact : site.country.labels.about
  const headHtml = head(rng, site, title)
  const body = [
    header(site),
    page.kind === "contact" ? contactMain(rng, site) : aboutMain(rng, site),
    shareBar(page.url, site.country.labels.share),
    footer(rng, site),
  ].join("\n")
  const rest = Math.max(0, target - headHtml.length - body.length - 200)
  const css = criticalCss(rng, site, Math.round(rest * 0.3))
  return `<!DOCTYPE html>
<html lang="${site.country.lang}">
${headHtml.replace("<style></style>", `<style>${css}</style>`)}
<body class="page-${page.kind}">
${body}
<script id="__APP_STATE__" type="application/json">${appState(rng, site, rest - css.length)}</script>
<script src="/assets/js/app.${rng.digits("######")}.js" defer></script>
</body>
</html>
`
}

/** A plain fetch of a script-built site: the app shell; the contacts are only in the bundle a render runs. */
export const renderAppShell = (page: SamplePage): string => {
  const site = page.site
  const rng = new Rng(site.seed, site.index * 8 + (page.kind === "contact" ? 4 : 5))
  const bundle = rng.digits("########")
  return `<!DOCTYPE html>
<html lang="${site.country.lang}">
<head><meta charset="utf-8"><title>${escapeHtml(site.name)}</title>
<link rel="stylesheet" href="/static/css/main.${bundle}.css">
<script src="/static/js/runtime.${bundle}.js" defer></script>
<script src="/static/js/main.${bundle}.js" defer></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body>
</html>
`
}
