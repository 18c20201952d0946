import { walkHtml } from "./HtmlEvents.js"

/**
 * One pass over the page, keeping only what the extractors read. Text is kept per text node (never
 * glued to its neighbours, so two nodes cannot form a fake address or number), in document order.
 */

interface Link {
  readonly href: string
  /** Index in `texts` of the first text node after the link's opening tag (where its label ends). */
  readonly at: number
}

interface MicrodataValue {
  readonly prop: "email" | "telephone"
  readonly value: string
}

export interface ParsedPage {
  readonly texts: ReadonlyArray<string>
  readonly links: ReadonlyArray<Link>
  readonly cfEmails: ReadonlyArray<string>
  readonly jsonLd: ReadonlyArray<string>
  readonly microdata: ReadonlyArray<MicrodataValue>
  readonly lang: string | undefined
  readonly hreflangs: ReadonlyArray<string>
  readonly canonical: string | undefined
  readonly title: string | undefined
  readonly siteName: string | undefined
}

const MAX_HREFLANGS = 50

/** A title longer than this is not a name; reading stops there so a huge one costs nothing. */
const TITLE_LENGTH = 1000

// Raw-text elements a reader never sees; JSON-LD scripts are collected separately.
const hidden = new Set(["script", "style", "noscript", "template", "svg"])

// Hidden by its own attribute or style, all inside is hidden (`hidden="until-found"` is searchable: shown).
const hiddenStyle = /(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i
const hiddenByAttributes = (attribs: Readonly<Record<string, string>>) =>
  (attribs.hidden !== undefined && attribs.hidden.toLowerCase() !== "until-found") ||
  (attribs.style !== undefined && hiddenStyle.test(attribs.style))

// An icon labels the text after it (`<i class="fa fa-phone">`, `<li class="whatsapp">`), as a person
// reads it; a bare "mobile" class is a responsive layout's, not an icon.
const iconClass =
  /(?:^|\s)(?:(?:fa|icon|bi|ti|la|ion|glyphicon)-(phone|telephone|tel|mobile|whatsapp|fax)(?=$|[\s-])|(phone|telephone|tel|whatsapp|fax)(?=$|\s))/i
const iconLabels: Record<string, string> = { fax: "Fax:", mobile: "Mobile:", whatsapp: "Mobile:" }

interface Capture {
  readonly prop: MicrodataValue["prop"]
  readonly depth: number
  text: string
}

const microdataProp = (itemprop: string | undefined): MicrodataValue["prop"] | undefined => {
  if (itemprop === undefined) return undefined
  const props = itemprop.toLowerCase().split(/\s+/)
  if (props.includes("email")) return "email"
  return props.includes("telephone") || props.includes("faxnumber") ? "telephone" : undefined
}

export const parseHtml = (html: string): ParsedPage => {
  const texts: Array<string> = []
  const links: Array<Link> = []
  const cfEmails: Array<string> = []
  const jsonLd: Array<string> = []
  const microdata: Array<MicrodataValue> = []
  const hreflangs: Array<string> = []
  // One capture at a time: nested itemprop elements would otherwise copy the same text many times.
  let capture: Capture | undefined
  let lang: string | undefined
  let canonical: string | undefined
  let title: string | undefined
  let inTitle = false
  let siteName: string | undefined
  let pending = ""
  let depth = 0
  let hiddenDepth = 0
  let jsonLdText: string | undefined

  const flush = () => {
    if (pending === "") return
    // Zero-width spaces that editors leave inside numbers and addresses are not seen.
    const text = pending
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
      .replace(/\s+/g, " ")
      .trim()
    pending = ""
    if (text !== "") texts.push(text)
  }

  walkHtml(html, {
    open(name, attribs) {
      flush()
      depth++
      if (hiddenDepth > 0 || hidden.has(name) || hiddenByAttributes(attribs)) {
        hiddenDepth++
        if (name === "script" && attribs.type?.trim().toLowerCase() === "application/ld+json") jsonLdText = ""
        return
      }
      if (name === "html" && attribs.lang !== undefined) lang = attribs.lang
      const icon = attribs.class === undefined ? null : iconClass.exec(attribs.class)
      if (icon !== null) texts.push(iconLabels[(icon[1] ?? icon[2] ?? "").toLowerCase()] ?? "Tel:")
      if (name === "link" && attribs.rel?.toLowerCase() === "canonical") canonical ??= attribs.href
      if (attribs.hreflang !== undefined && hreflangs.length < MAX_HREFLANGS) hreflangs.push(attribs.hreflang)
      if (name === "meta" && attribs.property === "og:url") canonical ??= attribs.content
      if (name === "meta" && attribs.property === "og:site_name") siteName ??= attribs.content
      // Search results show the description under the title: its contacts are read like text.
      if (name === "meta" && attribs.name?.toLowerCase() === "description" && attribs.content !== undefined) {
        pending = attribs.content
        flush()
      }
      if (name === "title" && title === undefined) {
        title = ""
        inTitle = true
      }
      if ((name === "a" || name === "area") && attribs.href !== undefined) {
        links.push({ href: attribs.href, at: texts.length })
      }
      if (attribs["data-cfemail"] !== undefined) cfEmails.push(attribs["data-cfemail"])
      const prop = microdataProp(attribs.itemprop)
      if (prop !== undefined) {
        const value = attribs.content ?? (name === "a" ? attribs.href : undefined)
        if (value !== undefined) microdata.push({ prop, value })
        else if (capture === undefined) capture = { prop, depth, text: "" }
      }
    },
    text(data) {
      if (jsonLdText !== undefined) jsonLdText += data
      else if (hiddenDepth === 0) {
        pending += data
        if (capture !== undefined) capture.text += data
        if (inTitle && title !== undefined && title.length < TITLE_LENGTH)
          title += data.slice(0, TITLE_LENGTH)
      }
    },
    close(name) {
      flush()
      if (name === "title") inTitle = false
      if (hiddenDepth > 0) {
        hiddenDepth--
        if (jsonLdText !== undefined && name === "script") {
          jsonLd.push(jsonLdText)
          jsonLdText = undefined
        }
      }
      if (capture !== undefined && capture.depth === depth) {
        microdata.push({ prop: capture.prop, value: capture.text.replace(/\s+/g, " ").trim() })
        capture = undefined
      }
      depth--
    },
  })
  flush()
  return { texts, links, cfEmails, jsonLd, microdata, lang, hreflangs, canonical, title, siteName }
}
