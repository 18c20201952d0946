import { parentPort } from "node:worker_threads"
import { extract } from "../../dist/src/Extract/index.js"

/**
 * An extraction worker (the built extraction, answering as Extract/ExtractWorker.ts does) with the
 * faults a hostile page could cause, on cue: a page containing `wf7-test:crash` kills the worker with
 * an uncaught error, `wf7-test:hang` never ends.
 */

const decoder = new TextDecoder()

parentPort?.on("message", ({ bytes, options }) => {
  const html = decoder.decode(bytes)
  if (html.includes("wf7-test:crash")) throw new Error("the page blew the worker up")
  if (html.includes("wf7-test:hang")) for (;;);
  parentPort?.postMessage({ extraction: extract(html, options) })
})
