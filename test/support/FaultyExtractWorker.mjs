import { parentPort, resourceLimits, workerData } from "node:worker_threads"
import { bodyIn } from "../../dist/src/Extract/Arena.js"
import { decodeHtml } from "../../dist/src/Extract/Decode.js"
import { readPage } from "../../dist/src/Extract/Reading.js"

/**
 * An extraction worker (the built extraction, answering as Extract/ExtractWorker.ts does) with the
 * faults a hostile page could cause, on cue: a page containing `wf7-test:crash` kills the worker with
 * an uncaught error, `wf7-test:hang` never ends, `wf7-test:limits` fails with the worker's heap limits.
 */

parentPort?.on("message", (job) => {
  const body = bodyIn(workerData.arena, job.body)
  const html = decodeHtml(body)
  if (html.includes("wf7-test:crash")) throw new Error("the page blew the worker up")
  if (html.includes("wf7-test:hang")) for (;;);
  if (html.includes("wf7-test:limits"))
    return parentPort?.postMessage({ error: JSON.stringify(resourceLimits) })
  parentPort?.postMessage({ reading: readPage(body, job.options) })
})
