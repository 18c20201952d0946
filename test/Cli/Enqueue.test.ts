import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { runCli } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

const urls = [
  "# curated on Monday",
  "https://Enqueue.Example.com/contact",
  "",
  "ftp://enqueue.example.com/files",
  "https://enqueue.example.com/contact#form",
  "nonsense",
  "https://second.example.org/about-us",
].join("\n")

it.layer(TestDatabaseLive)("wf7 enqueue (real process)", (it) => {
  it.effect("imports the good lines, names each bad one by line number", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const sql = yield* SqlClient.SqlClient
      const dir = yield* Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "wf7-enqueue-")))
      const file = path.join(dir, "urls.txt")
      yield* Effect.promise(() => fs.writeFile(file, urls))

      const result = yield* Effect.promise(() =>
        runCli(["enqueue", "--select", file], { env: { DATABASE_URL: url } }),
      )
      expect(result.code).toBe(0)
      expect(result.stderr).toContain(
        "line 4: scheme ftp is not http or https: ftp://enqueue.example.com/files",
      )
      expect(result.stderr).toContain("line 6: not a URL: nonsense")
      expect(result.stdout.trim()).toBe("imported 2 new pages, 1 already known, 2 queued, 2 bad lines")

      const pages = yield* sql<{ url: string; status: string; processing: string }>`
        SELECT url, page_curation_status AS status, page_processing_status AS processing FROM pages ORDER BY url`
      expect(pages).toEqual([
        { url: "https://enqueue.example.com/contact", status: "Selected", processing: "Queued" },
        { url: "https://second.example.org/about-us", status: "Selected", processing: "Queued" },
      ])
      yield* Effect.promise(() => fs.rm(dir, { recursive: true }))
    }),
  )

  it.effect("reads standard input and fails when no line is usable", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const good = yield* Effect.promise(() =>
        runCli(["enqueue", "-"], { env: { DATABASE_URL: url }, stdin: "https://stdin.example.net/team\n" }),
      )
      expect(good.code).toBe(0)
      expect(good.stdout).toContain("imported 1 new pages, 0 already known, 0 queued, 0 bad lines")

      const bad = yield* Effect.promise(() =>
        runCli(["enqueue", "-"], { env: { DATABASE_URL: url }, stdin: "gopher://x\n" }),
      )
      expect(bad.code).toBe(65)
      expect(bad.stderr).toContain("line 1: scheme gopher is not http or https")
    }),
  )

  it.effect("stops on bad configuration with one line naming the variable", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const result = yield* Effect.promise(() =>
        runCli(["enqueue", "-"], { env: { DATABASE_URL: url, WF7_DB_POOL_SIZE: "lots" } }),
      )
      expect(result.code).toBe(78)
      expect(result.stderr.trim()).toBe(
        'wf7: invalid configuration: WF7_DB_POOL_SIZE: must be an integer from 1 to 100 (got "lots")',
      )
    }),
  )
})
