import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { embeddedPostgres, temporaryDirectory } from "../../src/EmbeddedPostgres.js"

describe("the embedded server's lock", () => {
  it.scoped("a lock that cannot be read stops the start with its path, and is left in place", () =>
    Effect.gen(function* () {
      const dataDir = yield* temporaryDirectory("wf7-lock-")
      const lock = path.join(dataDir, "wf7.lock")
      // A directory where the lock file should be: it exists, but reading it fails (EISDIR).
      yield* Effect.promise(() => fs.mkdir(lock))
      const exit = yield* Effect.exit(embeddedPostgres({ dataDir, persistent: true, database: "wf7" }))
      expect(exit).toEqual(
        Exit.fail(
          expect.objectContaining({ message: expect.stringContaining(`cannot read ${lock}: EISDIR`) }),
        ),
      )
      expect((yield* Effect.promise(() => fs.stat(lock))).isDirectory()).toBe(true)
    }),
  )
})
