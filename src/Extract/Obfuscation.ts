import { emailsInText, validEmail } from "./Emails.js"

/**
 * Addresses written so that harvesters miss them: `name [at] domain [dot] com`, `name(at)domain.com`,
 * `name at domain dot com`, and Cloudflare's email protection. Every scan here is a single pass.
 */

const open = "[({<"
const close = "])}>"

const isSpace = (c: string | undefined) => c === " " || c === "\t"

/** The marker (`@` or `.`) written at `i` as `[at]`, `[ad]`, `(dot)`, `{@}` …, and where it ends. */
const bracketMarker = (text: string, i: number): { marker: string; end: number } | undefined => {
  const kind = open.indexOf(text[i] ?? "")
  if (kind === -1) return undefined
  let j = i + 1
  while (j < i + 3 && isSpace(text[j])) j++
  const word = text.slice(j, j + 3).toLowerCase()
  // "[ad]" is how German speakers spell the "at" they say.
  const at = word.startsWith("at") || word.startsWith("ad")
  const marker =
    at || word.startsWith("@") ? "@" : word.startsWith("dot") || word.startsWith(".") ? "." : undefined
  if (marker === undefined) return undefined
  j += at ? 2 : word.startsWith("dot") ? 3 : 1
  while (j < i + 10 && isSpace(text[j])) j++
  return text[j] === close[kind] ? { marker, end: j + 1 } : undefined
}

const unbracket = (text: string): string | undefined => {
  if (!/[[({<@]/.test(text)) return undefined
  const pieces: Array<string> = []
  let copiedUpTo = 0
  let i = 0
  while (i < text.length) {
    const found = bracketMarker(text, i)
    const spacedAt = text[i] === "@" && (isSpace(text[i - 1]) || isSpace(text[i + 1]))
    if (found === undefined && !spacedAt) {
      i++
      continue
    }
    pieces.push(text.slice(copiedUpTo, i).trimEnd(), found?.marker ?? "@")
    i = found?.end ?? i + 1
    while (isSpace(text[i])) i++
    copiedUpTo = i
  }
  if (pieces.length === 0) return undefined
  pieces.push(text.slice(copiedUpTo))
  return pieces.join("")
}

// Words before "at" or a spaced "@" in sentences: "visit us at acme dot com" is not an address.
const sentenceWords = new Set(
  "us me you them him her it we is are was be located based available find visit meet reach call here there open online shop store home work now today".split(
    " ",
  ),
)

const trailing = /[.,;:!?)\]]+$/

const wordBefore = (text: string, end: number) => {
  let start = end
  while (start > 0 && end - start < 64 && text[start - 1] !== " ") start--
  return text.slice(start, end)
}

const wordAt = (text: string, start: number) => {
  const space = text.indexOf(" ", start)
  const end = space === -1 ? text.length : space
  return { word: text.slice(start, end), end }
}

/** `name at domain dot com`, only where every dot is spelled out: "find us at acme.com" is no address. */
const spelledOut = (text: string): Array<string> => {
  if (!/ at /i.test(text)) return []
  const lower = text.toLowerCase()
  const found: Array<string> = []
  let at = lower.indexOf(" at ")
  while (at !== -1) {
    const labels = [wordAt(text, at + 4)]
    while (lower.startsWith(" dot ", labels[labels.length - 1]?.end ?? 0)) {
      labels.push(wordAt(text, (labels[labels.length - 1]?.end ?? 0) + 5))
    }
    const local = wordBefore(text, at).replace(/^[(["'<]+/, "")
    if (labels.length >= 2) {
      const domain = labels.map(({ word }) => word.replace(trailing, "")).join(".")
      const email = validEmail(`${local}@${domain}`)
      if (email !== undefined) found.push(email)
    }
    at = lower.indexOf(" at ", Math.max(at + 1, (labels[labels.length - 1]?.end ?? 0) - 1))
  }
  return found
}

export const obfuscatedEmails = (text: string): Array<string> => {
  const unbracketed = unbracket(text)
  return [...(unbracketed === undefined ? [] : emailsInText(unbracketed)), ...spelledOut(text)].filter(
    (email) => !sentenceWords.has(email.slice(0, email.indexOf("@"))),
  )
}

/** Decodes Cloudflare's protected address: a key byte, then each byte of the address XOR the key. */
export const decodeCfEmail = (hex: string): string | undefined => {
  if (hex.length < 4 || hex.length > 512 || hex.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(hex)) {
    return undefined
  }
  const key = parseInt(hex.slice(0, 2), 16)
  let decoded = ""
  for (let i = 2; i < hex.length; i += 2)
    decoded += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16) ^ key)
  return validEmail(decoded)
}

export const cfProtectedLink = (href: string): string | undefined => {
  const marker = href.indexOf("/cdn-cgi/l/email-protection#")
  return marker === -1 ? undefined : decodeCfEmail(href.slice(marker + "/cdn-cgi/l/email-protection#".length))
}
