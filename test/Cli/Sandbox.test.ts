import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { once } from "node:events"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { generateCorpus } from "../../src/Sandbox/index.js"
import { mainJs, runCli } from "../support/Cli.js"

/** Starts `wf7 sandbox` as an operator would and reads what it prints up to its last line, the key. */
const startSandbox = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const child = spawn(process.execPath, [mainJs, "sandbox", ...args], {
        env: { PATH: process.env.PATH ?? "", WF7_LOG_FORMAT: "json" },
        stdio: ["ignore", "pipe", "ignore"],
      })
      const printed: Array<string> = []
      for await (const line of createInterface({ input: child.stdout })) {
        printed.push(line)
        if (line.startsWith("export SCRAPER_API_KEY=")) break
      }
      child.stdout.resume()
      return { child, printed }
    }),
    ({ child }) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL")),
  )

describe("wf7 sandbox (real process)", () => {
  it.scopedLive("serves sample pages over the ScraperAPI protocol and exits 0 on SIGTERM", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "wf7-sandbox-")))
      const urlsFile = path.join(dir, "urls.txt")
      const { child, printed } = yield* startSandbox([
        "--port=0",
        "--sites=4",
        "--seed=5",
        "--latency=fixed",
        "--latency-ms=0",
        "--api-key=cli-key",
        `--write-urls=${urlsFile}`,
      ])
      const baseUrl = printed.find((line) => line.startsWith("export SCRAPER_API_BASE_URL="))?.split("=")[1]
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      expect(printed).toContain("export SCRAPER_API_KEY=cli-key")

      const expected = generateCorpus({ sites: 4, seed: 5 })
      const written = yield* Effect.promise(() => fs.readFile(urlsFile, "utf8"))
      expect(written).toBe(`${expected.urls.join("\n")}\n`)

      const page = expected.pages[0]!
      const query = new URLSearchParams({ api_key: "cli-key", url: page.url, render: "true" })
      const response = yield* Effect.promise(() => fetch(`${baseUrl}?${query}`))
      expect(response.status).toBe(200)
      expect(yield* Effect.promise(() => response.text())).toContain(`mailto:${page.expected.emails[0]}`)

      child.kill("SIGTERM")
      const [code] = yield* Effect.promise(() => once(child, "exit"))
      expect(code).toBe(0)
      yield* Effect.promise(() => fs.rm(dir, { recursive: true }))
    }),
  )

  it.effect("refuses impossible knobs with one line and a failure status", () =>
    Effect.gen(function* () {
      const result = yield* Effect.promise(() =>
        runCli(["sandbox", "--port=0", "--hang-rate=0.7", "--reset-rate=0.7"]),
      )
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toBe("wf7: the error, hang and reset rates must add up to at most 1")
      expect(result.stdout).toBe("")
    }),
  )
})
