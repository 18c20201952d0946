import { parentPort, workerData } from "node:worker_threads"
import { bodyIn, type PostedBody } from "./Arena.js"
import { readPage, type PageReading, type ReadOptions } from "./Reading.js"

/**
 * The entry of an extraction worker thread (`Processing/ExtractPool.ts`): each page posted to it is
 * answered in the order posted, with its reading or the message of what extraction threw. The page
 * comes as its body's bytes, in the arena shared with the pool (`workerData.arena`) or posted, and is
 * decoded here; plain data goes back.
 */

export interface ExtractJob {
  readonly body: PostedBody
  readonly options: ReadOptions
}

export type ExtractReply = { readonly reading: PageReading } | { readonly error: string }

const answer = (arena: SharedArrayBuffer, { body, options }: ExtractJob): ExtractReply => {
  try {
    return { reading: readPage(bodyIn(arena, body), options) }
  } catch (error) {
    return { error: String(error) }
  }
}

const port = parentPort
if (port !== null) {
  const { arena }: { readonly arena: SharedArrayBuffer } = workerData
  port.on("message", (job: ExtractJob) => port.postMessage(answer(arena, job)))
}
