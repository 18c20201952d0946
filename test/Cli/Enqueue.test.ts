import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Schedule } from "effect"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { runCli, startCli } from "../support/Cli.js"
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

// Live services: the streaming test waits, in real time, for rows a real process writes.
layer(TestDatabaseLive, { excludeTestServices: true })("wf7 enqueue (real process)", (it) => {
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

  it.effect("streams standard input: batches are imported while the input is still open", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const sql = yield* SqlClient.SqlClient
      yield* sql`TRUNCATE pages, domains CASCADE`
      const line = (n: number) =>
        n === 1500 || n === 2600 ? `bad line ${n}` : `https://stream.example.com/p/${n}`
      const lines = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => `${line(from + i)}\n`).join("")
      const enqueue = startCli(["enqueue", "-"], { DATABASE_URL: url })
      enqueue.child.stdin.write(lines(1, 2500))

      // Two full batches (2000 lines, one bad) are in the database before the input ends.
      const count = sql<{ n: number }>`SELECT count(*)::int AS n FROM pages`.pipe(
        Effect.map(([row]) => row?.n),
      )
      yield* count.pipe(
        Effect.filterOrFail((n) => n === 1999),
        Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), times: 600 }),
      )
      yield* Effect.promise(() => enqueue.waitFor("line 1500: not a URL: bad line 1500"))

      enqueue.child.stdin.end(lines(2501, 2600))
      expect(yield* Effect.promise(() => enqueue.exited)).toBe(0)
      expect(enqueue.output()).toContain("line 2600: not a URL: bad line 2600")
      expect(enqueue.output()).toContain("imported 2598 new pages, 0 already known, 0 queued, 2 bad lines")
      expect(yield* count).toBe(2598)
    }),
  )

  it.effect("escapes control characters of a bad line before echoing it", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const result = yield* Effect.promise(() =>
        runCli(["enqueue", "-"], {
          env: { DATABASE_URL: url },
          stdin: "https://ok.example.com/\n\u001b]0;owned\u0007\n",
        }),
      )
      expect(result.stderr).toContain("line 2: not a URL: \\u001b]0;owned\\u0007")
      expect(result.stderr).not.toMatch(/[\u001b\u0007]/)
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
