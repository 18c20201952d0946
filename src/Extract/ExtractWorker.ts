import { parentPort } from "node:worker_threads"
import type { Extraction } from "../Domain/Contact.js"
import { extract, type ExtractOptions } from "./index.js"

/**
 * The entry of an extraction worker thread (`Processing/ExtractPool.ts`): each page posted to it is
 * answered in the order posted, with its contacts or the message of what extraction threw. Only the
 * HTML and plain data cross between the threads.
 */

export interface ExtractJob {
  readonly html: string
  readonly options: ExtractOptions
}

export type ExtractReply = { readonly extraction: Extraction } | { readonly error: string }

const answer = ({ html, options }: ExtractJob): ExtractReply => {
  try {
    return { extraction: extract(html, options) }
  } catch (error) {
    return { error: String(error) }
  }
}

const port = parentPort
if (port !== null) port.on("message", (job: ExtractJob) => port.postMessage(answer(job)))
