import { parentPort } from "node:worker_threads"
import type { Extraction } from "../Domain/Contact.js"
import { extract, type ExtractOptions } from "./index.js"

/**
 * The entry of an extraction worker thread (`Processing/ExtractPool.ts`): each page posted to it is
 * answered in the order posted, with its contacts or the message of what extraction threw. The page
 * comes as UTF-8 bytes whose buffer is transferred, not copied; plain data goes back.
 */

export interface ExtractJob {
  readonly bytes: Uint8Array
  readonly options: ExtractOptions
}

export type ExtractReply = { readonly extraction: Extraction } | { readonly error: string }

const decoder = new TextDecoder()

const answer = ({ bytes, options }: ExtractJob): ExtractReply => {
  try {
    return { extraction: extract(decoder.decode(bytes), options) }
  } catch (error) {
    return { error: String(error) }
  }
}

const port = parentPort
if (port !== null) port.on("message", (job: ExtractJob) => port.postMessage(answer(job)))
