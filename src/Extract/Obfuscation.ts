import { validEmail } from "./Emails.js"

/**
 * Addresses written so that harvesters miss them: `name [at] domain [dot] com`, `name(at)domain.com`,
 * `name at domain dot com`, and Cloudflare's email protection. Every scan here is a single pass.
 */

const open = "[({<"
const close = "])}>"

const isSpace = (c: string | undefined) => c === " " || c === "\t"

/** The marker (`@` or `.`) written at `i` as `[at]`, `(dot)`, `{@}` …, and where it ends. */
const bracketMarker = (text: string, i: number): { marker: string; end: number } | undefined => {
  const kind = open.indexOf(text[i] ?? "")
  if (kind === -1) return undefined
  let j = i + 1
  while (j < i + 3 && isSpace(text[j])) j++
  const word = text.slice(j, j + 3).toLowerCase()
  const marker =
    word.startsWith("at") || word.startsWith("@")
      ? "@"
      : word.startsWith("dot") || word.startsWith(".")
        ? "."
        : undefined
  if (marker === undefined) return undefined
  j += word.startsWith("at") ? 2 : word.startsWith("dot") ? 3 : 1
  while (j < i + 10 && isSpace(text[j])) j++
  return text[j] === close[kind] ? { marker, end: j + 1 } : undefined
}

/**
 * The text with bracketed markers and spaced `@` replaced, or undefined when it has none. Spaces
 * around a marker are dropped so `name [at] domain [dot] com` becomes one address.
 */
export const unbracket = (text: string): string | undefined => {
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

// Words that stand before "at" in ordinary sentences ("visit us at acme dot com" is not an address).
const sentenceWords = new Set(
  "us me you them him her it we is are was be located based available find visit meet reach call here there open online shop store home work now today".split(
    " ",
  ),
)

// Sentence punctuation that may follow the last label of a spelled-out address.
const trailing = /[.,;:!?)\]]+$/

/**
 * Addresses spelled out with words: `name at domain dot com`. Only where every dot is spelled out,
 * so "find us at acme.com" is not read as an address.
 */
export const spelledOut = (text: string): Array<string> => {
  const words = text.split(" ")
  const found: Array<string> = []
  for (let k = 1; k + 3 < words.length; k++) {
    if (words[k]?.toLowerCase() !== "at") continue
    const labels = [words[k + 1] ?? ""]
    let j = k + 2
    while (words[j]?.toLowerCase() === "dot" && j + 1 < words.length) {
      labels.push((words[j + 1] ?? "").replace(trailing, ""))
      j += 2
    }
    if (labels.length < 2) continue
    const local = (words[k - 1] ?? "").replace(/^[(["'<]+/, "")
    if (sentenceWords.has(local.toLowerCase())) continue
    const email = validEmail(`${local}@${labels.join(".")}`)
    if (email !== undefined) found.push(email)
    k = j - 1
  }
  return found
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

/** The address behind a `/cdn-cgi/l/email-protection#…` link. */
export const cfProtectedLink = (href: string): string | undefined => {
  const marker = href.indexOf("/cdn-cgi/l/email-protection#")
  return marker === -1 ? undefined : decodeCfEmail(href.slice(marker + "/cdn-cgi/l/email-protection#".length))
}
