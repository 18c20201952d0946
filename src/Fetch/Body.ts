import { Effect } from "effect"
import type { PageBody } from "../Extract/Decode.js"
import { PageTooLarge } from "./Errors.js"
import { header, RequestFailed, type Answer } from "./HttpPool.js"

/**
 * Reads a response body up to `maxBytes`, failing as soon as it goes past, so nothing unbounded is
 * buffered. It stays bytes: it is decoded where it is extracted (Extract/Decode.ts). The bytes have
 * an ArrayBuffer of their own (Buffer.concat would pool a small one), which extraction frees as it
 * takes them (Extract/Arena.ts).
 */

export const readBody = (
  answer: Answer,
  maxBytes: number,
): Effect.Effect<PageBody, PageTooLarge | RequestFailed> =>
  Effect.suspend(() => {
    const declared = Number(header(answer.headers, "content-length"))
    if (Number.isFinite(declared) && declared > maxBytes)
      return Effect.fail(new PageTooLarge({ message: `page is ${declared} bytes, more than ${maxBytes}` }))
    return Effect.map(bodyOf(answer, maxBytes), (bytes) => ({
      bytes,
      contentType: header(answer.headers, "content-type"),
    }))
  })

/** The body's bytes, given up (and the body destroyed) as soon as they pass `maxBytes`. */
const bodyOf = (answer: Answer, maxBytes: number) =>
  Effect.async<Uint8Array, PageTooLarge | RequestFailed>((resume) => {
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
      const bytes = new Uint8Array(size)
      let at = 0
      for (const chunk of chunks) {
        bytes.set(chunk, at)
        at += chunk.length
      }
      resume(Effect.succeed(bytes))
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
