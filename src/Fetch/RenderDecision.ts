import type { Extraction } from "../Domain/Contact.js"
import { walkHtml } from "../Extract/HtmlEvents.js"

/**
 * Whether a page fetched plain (1 credit) is worth fetching again rendered (10 credits): only when nothing
 * was found on it and its content is built by scripts, or it was a challenge page a browser passes.
 */

export type RenderReason = "blocked" | "app-shell" | "noscript" | "empty-contact-links" | "empty-body"

/** Fewer visible characters than this in `<body>` is an empty page, not a short one. */
const EMPTY_BODY_CHARS = 200

const appRoots = new Set(["root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app"])
const hidden = new Set(["script", "style", "noscript", "template", "head", "title"])
const asksForScripts =
  /(enable|turn on|requires?|need)\s+javascript|javascript\s+(is\s+)?(required|disabled|needed)/i
const challenge =
  /just a moment\.\.\.|checking your browser|cf-browser-verification|challenge-platform|enable javascript and cookies/i

interface Signs {
  visibleChars: number
  appRoot: boolean
  scriptBundles: number
  noscriptAsks: boolean
  emptyContactLinks: number
  challenged: boolean
}

const read = (html: string): Signs => {
  const signs: Signs = {
    visibleChars: 0,
    appRoot: false,
    scriptBundles: 0,
    noscriptAsks: false,
    emptyContactLinks: 0,
    challenged: false,
  }
  const open: Array<string> = []
  // How many hidden elements enclose the text: a counter, so deep nesting stays linear.
  let hiddenDepth = 0
  walkHtml(html, {
    open: (name, attributes) => {
      open.push(name)
      if (hidden.has(name)) hiddenDepth++
      if (appRoots.has(attributes.id ?? "")) signs.appRoot = true
      if (name === "script" && (attributes.src ?? "") !== "") signs.scriptBundles++
      if (name === "a") {
        const href = (attributes.href ?? "").trim().toLowerCase()
        if (href === "mailto:" || href === "tel:") signs.emptyContactLinks++
      }
      if (challenge.test(attributes.id ?? "") || challenge.test(attributes.src ?? "")) signs.challenged = true
    },
    close: (name) => {
      open.pop()
      if (hidden.has(name)) hiddenDepth--
    },
    text: (data) => {
      const inside = open.at(-1) ?? ""
      if (inside === "noscript" && asksForScripts.test(data)) signs.noscriptAsks = true
      if ((inside === "title" || inside === "noscript") && challenge.test(data)) signs.challenged = true
      if (hiddenDepth === 0) signs.visibleChars += data.trim().length
    },
  })
  return signs
}

export const renderReason = (html: string, extraction: Extraction): RenderReason | undefined => {
  if (extraction.emails.length + extraction.phones.length > 0) return undefined
  const signs = read(html)
  if (signs.challenged) return "blocked"
  if (signs.appRoot && signs.scriptBundles > 0) return "app-shell"
  if (signs.noscriptAsks) return "noscript"
  if (signs.emptyContactLinks > 0) return "empty-contact-links"
  if (signs.visibleChars < EMPTY_BODY_CHARS && signs.scriptBundles > 0) return "empty-body"
  return undefined
}
