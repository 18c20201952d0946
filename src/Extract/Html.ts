import { Parser } from "htmlparser2"

/**
 * One pass of a real HTML parser over the page, keeping only what the extractors read. Text is kept
 * per text node (never glued to its neighbours, so two nodes cannot form a fake address), in
 * document order, each node knowing whether a block boundary came before it so labels such as
 * "Fax:" can be looked up in the same block.
 */

export interface TextNode {
  readonly text: string
  /** True when a block element, `<br>` or the start of the page separates this node from the one before. */
  readonly blockStart: boolean
}

export interface Link {
  readonly href: string
  /** Index in `texts` of the first text node after the link's opening tag (where its label ends). */
  readonly at: number
}

export interface MicrodataValue {
  readonly prop: "email" | "telephone"
  readonly value: string
  readonly at: number
}

export interface ParsedPage {
  readonly texts: ReadonlyArray<TextNode>
  readonly links: ReadonlyArray<Link>
  /** Hex payloads of Cloudflare's `data-cfemail` attributes. */
  readonly cfEmails: ReadonlyArray<string>
  readonly jsonLd: ReadonlyArray<string>
  readonly microdata: ReadonlyArray<MicrodataValue>
  /** The `<html lang>` attribute, as written. */
  readonly lang: string | undefined
  /** The page's own address from `<link rel=canonical>` or `og:url`, when the caller does not know it. */
  readonly canonical: string | undefined
}

const blocks = new Set([
  "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details", "dialog",
  "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
  "head", "header", "hr", "html", "iframe", "img", "input", "label", "legend", "li", "main", "nav", "ol",
  "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "textarea", "tfoot", "th",
  "thead", "title", "tr", "ul",
]) // prettier-ignore

// Raw-text elements a reader never sees; JSON-LD scripts are collected separately.
const hidden = new Set(["script", "style", "noscript", "template", "svg"])

interface Capture {
  readonly prop: MicrodataValue["prop"]
  readonly depth: number
  readonly at: number
  text: string
}

const microdataProp = (itemprop: string | undefined): MicrodataValue["prop"] | undefined => {
  if (itemprop === undefined) return undefined
  const props = itemprop.toLowerCase().split(/\s+/)
  return props.includes("email") ? "email" : props.includes("telephone") ? "telephone" : undefined
}

export const parseHtml = (html: string): ParsedPage => {
  const texts: Array<TextNode> = []
  const links: Array<Link> = []
  const cfEmails: Array<string> = []
  const jsonLd: Array<string> = []
  const microdata: Array<MicrodataValue> = []
  // One capture at a time: nested itemprop elements would otherwise copy the same text many times.
  let capture: Capture | undefined
  let lang: string | undefined
  let canonical: string | undefined
  let pending = ""
  let boundary = true
  let depth = 0
  let hiddenDepth = 0
  let jsonLdText: string | undefined

  const flush = () => {
    if (pending === "") return
    const text = pending.replace(/\s+/g, " ").trim()
    pending = ""
    if (text === "") return
    texts.push({ text, blockStart: boundary })
    boundary = false
  }

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        flush()
        depth++
        if (blocks.has(name)) boundary = true
        if (hiddenDepth > 0 || hidden.has(name)) {
          hiddenDepth++
          if (name === "script" && attribs.type?.trim().toLowerCase() === "application/ld+json")
            jsonLdText = ""
          return
        }
        if (name === "html" && attribs.lang !== undefined) lang = attribs.lang
        if (name === "link" && attribs.rel?.toLowerCase() === "canonical") canonical ??= attribs.href
        if (name === "meta" && attribs.property === "og:url") canonical ??= attribs.content
        if ((name === "a" || name === "area") && attribs.href !== undefined) {
          links.push({ href: attribs.href, at: texts.length })
        }
        if (attribs["data-cfemail"] !== undefined) cfEmails.push(attribs["data-cfemail"])
        const prop = microdataProp(attribs.itemprop)
        if (prop !== undefined) {
          const value = attribs.content ?? (name === "a" ? attribs.href : undefined)
          if (value !== undefined) microdata.push({ prop, value, at: texts.length })
          else if (capture === undefined) capture = { prop, depth, at: texts.length, text: "" }
        }
      },
      ontext(data) {
        if (jsonLdText !== undefined) jsonLdText += data
        else if (hiddenDepth === 0) {
          pending += data
          if (capture !== undefined) capture.text += data
        }
      },
      onclosetag(name) {
        flush()
        if (hiddenDepth > 0) {
          hiddenDepth--
          if (jsonLdText !== undefined && name === "script") {
            jsonLd.push(jsonLdText)
            jsonLdText = undefined
          }
        }
        if (capture !== undefined && capture.depth === depth) {
          microdata.push({
            prop: capture.prop,
            value: capture.text.replace(/\s+/g, " ").trim(),
            at: capture.at,
          })
          capture = undefined
        }
        depth--
        if (blocks.has(name)) boundary = true
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  )
  parser.write(html)
  parser.end()
  flush()
  return { texts, links, cfEmails, jsonLd, microdata, lang, canonical }
}
