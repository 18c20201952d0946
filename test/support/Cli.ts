import { spawn, type ChildProcess } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The compiled CLI, run as a real process, as an operator runs it. */
export const mainJs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/src/main.js")

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface CliOptions {
  readonly env?: Record<string, string>
  readonly stdin?: string
  readonly cwd?: string
}

/** Starts the CLI; `exited` settles with its output once it ends (a daemon ends on a signal). */
export const startCli = (args: ReadonlyArray<string>, options: CliOptions = {}) => {
  const child: ChildProcess = spawn(process.execPath, [mainJs, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", WF7_LOG_FORMAT: "json", ...options.env },
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk) => (stdout += chunk))
  child.stderr!.on("data", (chunk) => (stderr += chunk))
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
  child.stdin!.end(options.stdin ?? "")
  return { child, exited }
}

export const runCli = (args: ReadonlyArray<string>, options: CliOptions = {}) =>
  startCli(args, options).exited
