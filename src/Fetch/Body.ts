import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import { Effect, Stream } from "effect"
import { PageTooLarge } from "./Errors.js"

/**
 * Reads a response body up to `maxBytes` (failing as soon as it goes past, so nothing unbounded is
 * buffered) and decodes it with the charset from the Content-Type header or the page's own meta tag.
 */

const charsetIn = (text: string | undefined) => text?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1]

const decoderFor = (label: string | undefined) => {
  try {
    return new TextDecoder(label ?? "utf-8")
  } catch {
    return new TextDecoder("utf-8")
  }
}

export const decodeHtml = (bytes: Uint8Array, contentType: string | undefined) => {
  // The meta tag must sit in the first 1024 bytes (HTML standard); ASCII-compatible encodings agree there.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024))
  return decoderFor(charsetIn(contentType) ?? charsetIn(head.match(/<meta[^>]*charset[^>]*>/i)?.[0])).decode(
    bytes,
  )
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
