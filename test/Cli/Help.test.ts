import { describe, expect, it } from "@effect/vitest"
import { runCli } from "../support/Cli.js"

const WIDTH = 100

/** The commands `wf7 --help` lists: every registered subcommand, whoever added it. */
const listed = (help: string) => {
  const lines = help.split("\n")
  const start = lines.indexOf("Commands:") + 1
  const end = lines.indexOf("", start)
  return lines.slice(start, end).map((line) => line.trim().split(/\s+/)[0] ?? "")
}

const readable = (output: string) => {
  expect(output).not.toContain("\u001b")
  for (const line of output.split("\n")) expect(line.length, line).toBeLessThanOrEqual(WIDTH)
}

describe("wf7 --help (real process, not a terminal)", () => {
  it("lists one command a line within 100 columns, without colour codes", async () => {
    const result = await runCli(["--help"])
    expect(result.code).toBe(0)
    readable(result.stdout)
    expect(result.stdout).toMatch(/^Usage: wf7 <command> \[options\]$/m)
    const commands = listed(result.stdout)
    expect(commands).toEqual(expect.arrayContaining(["migrate", "enqueue", "extract", "drain", "daemon"]))
    for (const command of commands) expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S`, "m"))
  })

  it(
    "gives every command a usage line starting with wf7 and the environment it reads, with defaults",
    { timeout: 180_000 },
    async () => {
      const commands = listed((await runCli(["--help"])).stdout)
      const helps = await Promise.all(commands.map((command) => runCli([command, "--help"])))
      helps.forEach((result, index) => {
        expect(result.code).toBe(0)
        readable(result.stdout)
        expect(result.stdout.split("\n")[0]).toMatch(new RegExp(`^Usage: wf7 ${commands[index]}( |$)`))
        expect(result.stdout).toContain("ENVIRONMENT")
        expect(result.stdout).toMatch(/^ {2}WF7_LOG_LEVEL \[info\]$/m)
      })
      const help = (command: string) => helps[commands.indexOf(command)]?.stdout ?? ""
      expect(help("enqueue")).toMatch(/^ {2}WF7_DB_POOL_SIZE \[5\]$/m)
      expect(help("daemon")).toMatch(/^ {2}PORT \[8080\]$/m)
      expect(help("daemon")).toMatch(/^ {2}WF7_ENABLE_CONCURRENT_PROCESSING \[false\]$/m)
      expect(help("extract")).toMatch(/^ {2}WF7_DEFAULT_PHONE_REGION \[US\]$/m)
      expect(help("extract")).not.toContain("DATABASE_URL")
    },
  )

  it("-h after a command's arguments is the command's help too", async () => {
    const result = await runCli(["diagnose", "stuck", "-h"])
    expect(result.code).toBe(0)
    expect(result.stdout.split("\n")[0]).toBe(
      "Usage: wf7 diagnose [--json] [<section> baseline | connections | throughput | stuck | credits]",
    )
  })
})
