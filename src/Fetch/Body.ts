import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import { Effect, Stream } from "effect"
import iconv from "iconv-lite"
import { PageTooLarge } from "./Errors.js"

/**
 * Reads a response body up to `maxBytes` (failing as soon as it goes past, so nothing unbounded is
 * buffered) and decodes it with the charset from the Content-Type header or the page's own meta tag.
 */

const charsetIn = (text: string | undefined) => text?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1]

// iconv-lite rather than TextDecoder: Node 20 decodes windows-1252 as plain latin1 (curly quotes lost).
const decodeHtml = (bytes: Buffer, contentType: string | undefined) => {
  // The meta tag must sit in the first 1024 bytes (HTML standard); ASCII-compatible encodings agree there.
  const head = iconv.decode(bytes.subarray(0, 1024), "latin1")
  const label = charsetIn(contentType) ?? charsetIn(head.match(/<meta[^>]*charset[^>]*>/i)?.[0])
  return iconv.decode(bytes, label !== undefined && iconv.encodingExists(label) ? label : "utf-8")
}

export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number,
): Effect.Effect<{ html: string; bytes: number }, PageTooLarge | HttpClientError.ResponseError> =>
  Effect.gen(function* () {
    const declared = Number(response.headers["content-length"])
    if (Number.isFinite(declared) && declared > maxBytes) {
      return yield* new PageTooLarge({ message: `page is ${declared} bytes, more than ${maxBytes}` })
    }
    const chunks: Array<Uint8Array> = []
    const size = yield* response.stream.pipe(
      Stream.runFoldEffect(0, (total, chunk) => {
        const next = total + chunk.length
        if (next > maxBytes) return new PageTooLarge({ message: `page is more than ${maxBytes} bytes` })
        chunks.push(chunk)
        return Effect.succeed(next)
      }),
    )
    return { html: decodeHtml(Buffer.concat(chunks, size), response.headers["content-type"]), bytes: size }
  })
