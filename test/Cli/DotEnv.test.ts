import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { runCli } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

layer(TestDatabaseLive)("a .env file in the working directory (real process)", (it) => {
  it.effect("is read, and a variable set in the environment wins over it", () =>
    Effect.gen(function* () {
      const { url } = yield* TestDatabase
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "wf7-dotenv-"))),
        (dir) => Effect.promise(() => fs.rm(dir, { recursive: true })),
      )
      yield* Effect.promise(() =>
        fs.writeFile(
          path.join(dir, ".env"),
          `# the team's database\nDATABASE_URL=${url}\nWF7_DB_POOL_SIZE=lots\n`,
        ),
      )
      const fromFile = yield* Effect.promise(() => runCli(["migrate"], { cwd: dir }))
      expect(fromFile.code).toBe(78)
      expect(fromFile.stderr).toContain('WF7_DB_POOL_SIZE: must be an integer from 1 to 100 (got "lots")')

      // The environment's pool size wins; the file's DATABASE_URL is used (no embedded server starts).
      const overridden = yield* Effect.promise(() =>
        runCli(["diagnose", "baseline", "--json"], { cwd: dir, env: { WF7_DB_POOL_SIZE: "2" } }),
      )
      expect(overridden.code).toBe(0)
      expect(JSON.parse(overridden.stdout)).toHaveProperty("baseline")
      expect(yield* Effect.promise(() => fs.readdir(dir))).toEqual([".env"])
    }).pipe(Effect.scoped),
  )
})
