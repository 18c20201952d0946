import { parentPort } from "node:worker_threads"
import type { PageBody } from "./Decode.js"
import { readPage, type PageReading, type ReadOptions } from "./Reading.js"

/**
 * The entry of an extraction worker thread (`Processing/ExtractPool.ts`): each page posted to it is
 * answered in the order posted, with its reading or the message of what extraction threw. The page
 * comes as its body's bytes, decoded here; plain data goes back.
 */

export interface ExtractJob {
  readonly body: PageBody
  readonly options: ReadOptions
}

export type ExtractReply = { readonly reading: PageReading } | { readonly error: string }

const answer = ({ body, options }: ExtractJob): ExtractReply => {
  try {
    return { reading: readPage(body, options) }
  } catch (error) {
    return { error: String(error) }
  }
}

const port = parentPort
if (port !== null) port.on("message", (job: ExtractJob) => port.postMessage(answer(job)))
