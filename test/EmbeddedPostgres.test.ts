import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { embeddedPostgres, temporaryDirectory } from "../src/EmbeddedPostgres.js"
import { runCli } from "./support/Cli.js"

describe("embedded Postgres (no DATABASE_URL)", () => {
  it.scopedLive("wf7 migrate creates the database under WF7_DATA_DIR and keeps it between runs", () =>
    Effect.gen(function* () {
      const dir = yield* temporaryDirectory("wf7-embedded-")
      const env = { WF7_DATA_DIR: path.join(dir, "data") }
      const first = yield* Effect.promise(() => runCli(["migrate"], { env }))
      expect(first.stdout).toContain("applied migration 1 schema")
      expect(first.code).toBe(0)
      const second = yield* Effect.promise(() => runCli(["migrate"], { env }))
      expect(second.stdout.trim()).toBe("database is up to date")
      expect(second.code).toBe(0)
      // Stopped cleanly: no server and no lock left behind.
      const left = yield* Effect.promise(() => fs.readdir(path.join(dir, "data")))
      expect(left).not.toContain("wf7.lock")
      expect(yield* Effect.promise(() => fs.readdir(path.join(dir, "data", "pg")))).not.toContain(
        "postmaster.pid",
      )
    }),
  )

  it.scopedLive("a daemon on a data directory another process runs fails with a clear message", () =>
    Effect.gen(function* () {
      const dir = yield* temporaryDirectory("wf7-embedded-")
      const dataDir = path.join(dir, "data")
      yield* embeddedPostgres({ dataDir, persistent: true, database: "wf7" })
      const second = yield* Effect.promise(() =>
        runCli(["daemon"], { env: { WF7_DATA_DIR: dataDir, PORT: "0" } }),
      )
      expect(second.code).toBe(1)
      expect(second.stderr.trim()).toBe(
        `wf7: WF7_DATA_DIR ${dataDir} is in use by another wf7 process (pid ${process.pid}); stop it first, or share one Postgres through DATABASE_URL`,
      )
    }),
  )
})
