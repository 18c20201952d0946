import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { TestDatabase } from "./TestDatabase.js"

/** The compiled CLI, run as a real process, as an operator runs it. */
export const mainJs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/src/main.js")

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly stdin?: string; readonly cwd?: string } = {},
) =>
  new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", WF7_LOG_FORMAT: "json", ...options.env },
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(options.stdin ?? "")
  })

/**
 * A long-running CLI process (the daemon): its output so far, and a way to wait for a line.
 * `detached` makes it lead its own process group, as a shell does for a job, for signals to the group.
 */
export const startCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  options: { readonly detached?: boolean } = {},
) => {
  const child = spawn(process.execPath, [mainJs, ...args], {
    env: { PATH: process.env.PATH ?? "", WF7_LOG_FORMAT: "json", ...env },
    detached: options.detached ?? false,
  })
  let output = ""
  const waiters: Array<() => void> = []
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
    waiters.splice(0).forEach((wake) => wake())
  }
  child.stdout.on("data", collect)
  child.stderr.on("data", collect)
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      resolve(code)
      waiters.splice(0).forEach((wake) => wake())
    }),
  )
  const waitFor = async (text: string) => {
    while (!output.includes(text)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`exited before printing ${text}:\n${output}`)
      }
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  return { child, output: () => output, waitFor, exited }
}

/**
 * The compiled CLI on a real terminal: run under `script`, which gives it a pseudo-terminal (a
 * child process's pipes are not one). stdout and stderr arrive mixed, as a person sees them.
 */
export const runCliOnTerminal = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<{ readonly code: number | null; readonly screen: string }>((resolve, reject) => {
    const quoted = [process.execPath, mainJs, ...args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`)
    const child = spawn(
      "script",
      ["--quiet", "--flush", "--return", "--command", quoted.join(" "), "/dev/null"],
      {
        env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...env },
      },
    )
    let screen = ""
    child.stdout.on("data", (chunk) => (screen += chunk))
    child.stderr.on("data", (chunk) => (screen += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, screen }))
    child.stdin.end()
  })

/** A command run against the test file's own database. */
export const runOnTestDatabase = (args: ReadonlyArray<string>) =>
  Effect.flatMap(TestDatabase, (database) =>
    Effect.promise(() => runCli(args, { env: { DATABASE_URL: database.url } })),
  )
