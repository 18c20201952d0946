import { Effect } from "effect"
import iconv from "iconv-lite"
import { PageTooLarge } from "./Errors.js"
import { header, RequestFailed, type Answer } from "./HttpPool.js"

/**
 * Reads a response body up to `maxBytes` (failing as soon as it goes past, so nothing unbounded is
 * buffered) and decodes it with the charset from the Content-Type header or the page's own meta tag.
 */

const charsetIn = (text: string | undefined) => text?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1]

const utf8 = new TextDecoder("utf-8")

// iconv-lite rather than TextDecoder for other charsets: Node 20 decodes windows-1252 as plain latin1 (curly quotes lost).
const decodeHtml = (bytes: Buffer, contentType: string | undefined) => {
  // The meta tag must sit in the first 1024 bytes (HTML standard); ASCII-compatible encodings agree there.
  const head = iconv.decode(bytes.subarray(0, 1024), "latin1")
  const label = charsetIn(contentType) ?? charsetIn(head.match(/<meta[^>]*charset[^>]*>/i)?.[0])
  const charset = label !== undefined && iconv.encodingExists(label) ? label.toLowerCase() : "utf-8"
  // Most pages are UTF-8: Node's own decoder is several times faster than iconv-lite's for it.
  return charset === "utf-8" || charset === "utf8" ? utf8.decode(bytes) : iconv.decode(bytes, charset)
}

export const readBody = (
  answer: Answer,
  maxBytes: number,
): Effect.Effect<{ html: string; bytes: number }, PageTooLarge | RequestFailed> =>
  Effect.suspend(() => {
    const declared = Number(header(answer.headers, "content-length"))
    if (Number.isFinite(declared) && declared > maxBytes)
      return Effect.fail(new PageTooLarge({ message: `page is ${declared} bytes, more than ${maxBytes}` }))
    return Effect.map(bodyOf(answer, maxBytes), (bytes) => ({
      html: decodeHtml(bytes, header(answer.headers, "content-type")),
      bytes: bytes.length,
    }))
  })

/** The body's bytes, given up (and the body destroyed) as soon as they pass `maxBytes`. */
const bodyOf = (answer: Answer, maxBytes: number) =>
  Effect.async<Buffer, PageTooLarge | RequestFailed>((resume) => {
    const { body } = answer
    const chunks: Array<Buffer> = []
    let size = 0
    const stop = () => {
      body.off("data", onData)
      body.off("end", onEnd)
      body.off("error", onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) return void chunks.push(chunk)
      stop()
      body.destroy()
      resume(Effect.fail(new PageTooLarge({ message: `page is more than ${maxBytes} bytes` })))
    }
    const onEnd = () => {
      stop()
      resume(Effect.succeed(Buffer.concat(chunks, size)))
    }
    const onError = (cause: unknown) => {
      stop()
      resume(Effect.fail(new RequestFailed({ reason: "Decode", cause })))
    }
    body.on("data", onData)
    body.on("end", onEnd)
    body.on("error", onError)
    return Effect.sync(stop)
  })
