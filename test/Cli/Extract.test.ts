import { expect, it } from "@effect/vitest"
import { openSync, closeSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { spawn } from "node:child_process"
import { mainJs, runCli } from "../support/Cli.js"

it("wf7 extract prints one line per file in order and names the unreadable one", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-extract-"))
  const first = path.join(dir, "first.html")
  const second = path.join(dir, "second.html")
  await fs.writeFile(first, `<p>Tel 020 7946 0958, <a href="mailto:info@acme.co.uk">mail</a></p>`)
  await fs.writeFile(second, `<a href="https://x.com/AcmeLtd">X</a>`)
  const missing = path.join(dir, "missing.html")

  const result = await runCli(["extract", "--url", "https://acme.co.uk/", first, missing, second, "-"], {
    stdin: "<p>hello@acme.co.uk</p>",
  })

  expect(result.code).toBe(66)
  expect(result.stderr).toContain(`cannot read ${missing}`)
  expect(
    result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line)),
  ).toEqual([
    {
      file: first,
      emails: [{ value: "info@acme.co.uk", type: "SERVICE", source: "mailto" }],
      phones: [{ value: "+442079460958", type: "BUSINESS", source: "text" }],
      socials: [],
    },
    {
      file: second,
      emails: [],
      phones: [],
      socials: [{ platform: "x", url: "https://x.com/acmeltd", handle: "acmeltd" }],
    },
    {
      file: "-",
      emails: [{ value: "hello@acme.co.uk", type: "SERVICE", source: "text" }],
      phones: [],
      socials: [],
    },
  ])
  await fs.rm(dir, { recursive: true })
})

it("wf7 extract names standard input that cannot be read, then reads the next file", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-extract-"))
  const page = path.join(dir, "page.html")
  await fs.writeFile(page, `<p>hello@acme.co.uk</p>`)
  // Standard input opened for writing only: every read of it fails (EBADF).
  const stdin = openSync(path.join(dir, "write-only"), "w")
  const child = spawn(process.execPath, [mainJs, "extract", "-", page], {
    env: { PATH: process.env.PATH ?? "" },
    stdio: [stdin, "pipe", "pipe"],
  })
  closeSync(stdin)
  let stdout = ""
  let stderr = ""
  child.stdout?.on("data", (chunk) => (stdout += chunk))
  child.stderr?.on("data", (chunk) => (stderr += chunk))
  const code = await new Promise((resolve) => child.on("close", resolve))

  expect(code).toBe(66)
  expect(stderr.trim()).toMatch(/^wf7 extract: cannot read -: cannot read standard input: .*EBADF/)
  expect(JSON.parse(stdout).file).toBe(page)
  await fs.rm(dir, { recursive: true })
})

it("wf7 extract reads the default phone region from WF7_DEFAULT_PHONE_REGION", async () => {
  const result = await runCli(["extract", "-"], {
    stdin: "<p>Telefon: 030 12345678</p>",
    env: { WF7_DEFAULT_PHONE_REGION: "DE" },
  })
  expect(result.code).toBe(0)
  expect(JSON.parse(result.stdout).phones).toEqual([
    { value: "+493012345678", type: "BUSINESS", source: "text" },
  ])
})
