import iconv from "iconv-lite"

/**
 * A page's body as it came off the wire, and its text: decoded with the charset from the Content-Type
 * header or the page's own meta tag. Bodies travel as bytes to where they are extracted, so the thread
 * that fetches never holds a page's text.
 */

export interface PageBody {
  readonly bytes: Uint8Array
  readonly contentType: string | undefined
}

const charsetIn = (text: string | undefined) => text?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1]

const utf8 = new TextDecoder("utf-8")

// iconv-lite rather than TextDecoder for other charsets: Node 20 decodes windows-1252 as plain latin1 (curly quotes lost).
export const decodeHtml = ({ bytes, contentType }: PageBody): string => {
  // A view, not a copy: a body posted to a worker arrives as a plain Uint8Array, which iconv-lite does not take.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  // The meta tag must sit in the first 1024 bytes (HTML standard); ASCII-compatible encodings agree there.
  const head = iconv.decode(buffer.subarray(0, 1024), "latin1")
  const label = charsetIn(contentType) ?? charsetIn(head.match(/<meta[^>]*charset[^>]*>/i)?.[0])
  const charset = label !== undefined && iconv.encodingExists(label) ? label.toLowerCase() : "utf-8"
  // Most pages are UTF-8: Node's own decoder is several times faster than iconv-lite's for it.
  return charset === "utf-8" || charset === "utf8" ? utf8.decode(buffer) : iconv.decode(buffer, charset)
}
