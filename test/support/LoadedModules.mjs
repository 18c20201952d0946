// `node --import` this file: every module the process loads is appended, one URL a line, to the file
// named by WF7_LOADED_MODULES. The load hook runs on Node's loader thread, hence the thread check.
import { appendFileSync } from "node:fs"
import { register } from "node:module"
import { isMainThread } from "node:worker_threads"

if (isMainThread) register(import.meta.url)

export const load = (url, context, next) => {
  appendFileSync(process.env.WF7_LOADED_MODULES ?? "/dev/null", `${url}\n`)
  return next(url, context)
}
