import { describe, expect, it } from "@effect/vitest"
import { inject } from "vitest"
import { runCli } from "../support/Cli.js"

const PASSWORD = "hunter2-secret"

describe("wf7 errors that say what to do (real process)", () => {
  it.each([
    [
      `postgres://wf7:${PASSWORD}@127.0.0.1:1/leads`,
      "cannot reach the database leads at 127.0.0.1:1: connection refused",
    ],
    [
      `postgres://wf7:${PASSWORD}@db.invalid:5432/leads`,
      "cannot reach the database leads at db.invalid:5432: getaddrinfo ENOTFOUND db.invalid",
    ],
  ])(
    "a database that cannot be reached: where and why, exit 69, never the password (%s)",
    async (url, line) => {
      const result = await runCli(["migrate"], { env: { DATABASE_URL: url } })
      expect(result.code).toBe(69)
      expect(result.stderr.trim()).toBe(`wf7: ${line}`)
      expect(result.stderr + result.stdout).not.toContain(PASSWORD)
    },
  )

  it("a refused password is the driver's reason, exit 69, the password not shown", async () => {
    const { host, port } = inject("postgres")
    const result = await runCli(["diagnose"], {
      env: { DATABASE_URL: `postgres://postgres:${PASSWORD}@${host}:${port}/postgres` },
    })
    expect(result.code).toBe(69)
    expect(result.stderr.trim()).toBe(
      `wf7: cannot reach the database postgres at ${host}:${port}: password authentication failed for user "postgres"`,
    )
    expect(result.stderr).not.toContain(PASSWORD)
  })

  it("a URL of another database is bad configuration, exit 78, the password not shown", async () => {
    const result = await runCli(["migrate"], { env: { DATABASE_URL: `mysql://wf7:${PASSWORD}@db/leads` } })
    expect(result.code).toBe(78)
    expect(result.stderr.trim()).toBe(
      "wf7: invalid configuration: DATABASE_URL: must be a URL such as postgres://user:password@host:5432/wf7 (got mysql://…)",
    )
  })

  it("a mistyped command: the problem, a suggestion and the usage line, exit 64", async () => {
    const result = await runCli(["daemn"])
    expect(result.code).toBe(64)
    expect(result.stderr.trim().split("\n")).toEqual([
      "wf7: unknown command 'daemn' — did you mean 'daemon'?",
      "Usage: wf7 <command> [options]",
    ])
  })

  it.each([
    [["enqueue"], "Missing argument <FILE|->", "Usage: wf7 enqueue [--select] <FILE|->"],
    [["diagnose", "nope"], "Expected one of the following cases", "Usage: wf7 diagnose [--json]"],
    [["demo", "--pages", "many"], "'many' is not a integer", "Usage: wf7 demo [--pages integer]"],
  ])(
    "a usage error names the problem and prints the command's usage, exit 64 (%j)",
    async (args, problem, usage) => {
      const result = await runCli(args)
      expect(result.code).toBe(64)
      expect(result.stderr).toContain(problem)
      expect(result.stderr.split("\n")).toContainEqual(expect.stringMatching(new RegExp(`^${escape(usage)}`)))
      expect(result.stderr).not.toContain("[object Object]")
    },
  )

  it("control characters of bad input are escaped, not sent to the terminal", async () => {
    const command = await runCli(["enq\u001b]0;pwned\u0007ueue"])
    expect(command.code).toBe(64)
    expect(command.stderr).toContain("argument 'enq\\u001b]0;pwned\\u0007ueue' contains control characters")
    const config = await runCli(["migrate"], { env: { WF7_DB_POOL_SIZE: "\u001b[2J\u009b" } })
    expect(config.code).toBe(78)
    expect(config.stderr).toContain('(got "\\u001b[2J\\u009b")')
    for (const output of [command.stderr, config.stderr]) expect(output).not.toMatch(/[\u001b\u0007\u009b]/)
  })
})

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
