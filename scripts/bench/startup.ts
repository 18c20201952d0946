import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { corpusDir } from "./corpus.js"
import { median } from "./extraction.js"
import { mainJs } from "./sandboxProcess.js"

/**
 * Start-up section of `npm run bench`: the median wall time of RUNS real `wf7` processes printing
 * `--help`, and extracting one saved page, against the targets of issue 13.
 */

export interface StartupBench {
  readonly runs: number
  readonly helpSeconds: number
  readonly extractSeconds: number
}

const RUNS = 10
const HELP_TARGET_SECONDS = 0.3
const EXTRACT_TARGET_SECONDS = 0.6

const medianSeconds = (args: ReadonlyArray<string>) => {
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now()
    const run = spawnSync(process.execPath, [mainJs, ...args], { stdio: ["ignore", "ignore", "pipe"] })
    if (run.status !== 0) throw new Error(`wf7 ${args.join(" ")} exited ${run.status}: ${run.stderr}`)
    return (performance.now() - start) / 1000
  })
  return Number(median(times).toFixed(3))
}

export const benchStartup = (): StartupBench => ({
  runs: RUNS,
  helpSeconds: medianSeconds(["--help"]),
  extractSeconds: medianSeconds(["extract", path.join(corpusDir(), "au-cafe-laneway.html")]),
})

export const printStartup = (result: StartupBench) =>
  console.log(
    [
      `Start-up (median of ${result.runs} runs)`,
      `  wf7 --help            ${result.helpSeconds.toFixed(3)} s  (target ≤ ${HELP_TARGET_SECONDS} s)`,
      `  wf7 extract one.html  ${result.extractSeconds.toFixed(3)} s  (target ≤ ${EXTRACT_TARGET_SECONDS} s)`,
    ].join("\n"),
  )
