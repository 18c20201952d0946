import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option, TestClock, TestServices } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { stopOrphan } from "../../src/Embedded/Postmaster.js"
import { embeddedPostgres, temporaryDirectory } from "../../src/EmbeddedPostgres.js"

/** A live process that ignores SIGINT, as a server that will not stop does; killed with the scope. */
const stubborn = Effect.acquireRelease(
  Effect.async<ReturnType<typeof spawn>>((resume) => {
    const child = spawn(process.execPath, [
      "-e",
      "process.on('SIGINT', () => {}); console.log('ready'); setInterval(() => {}, 1000)",
    ])
    child.stdout.once("data", () => resume(Effect.succeed(child)))
  }),
  (child) => Effect.sync(() => child.kill("SIGKILL")),
)

/** Waits (on the real clock) until the fiber under test sleeps on the test clock. */
const asleep = Effect.gen(function* () {
  while ((yield* TestClock.sleeps()).length === 0) yield* TestServices.provideLive(Effect.sleep("10 millis"))
})

const advance = (seconds: number) => Effect.zipRight(asleep, TestClock.adjust(`${seconds} seconds`))

describe("waits on the embedded server are bounded on the clock", () => {
  it.scoped("a server left behind that ignores SIGINT is given 30 s to stop, then named", () =>
    Effect.gen(function* () {
      const pgdata = yield* temporaryDirectory("wf7-orphan-")
      const server = yield* stubborn
      yield* Effect.promise(() => fs.writeFile(path.join(pgdata, "postmaster.pid"), `${server.pid}\n`))
      const stopping = yield* Effect.fork(stopOrphan(pgdata))
      yield* advance(29)
      expect(yield* Fiber.poll(stopping)).toEqual(Option.none())
      yield* advance(2)
      expect(yield* Fiber.await(stopping)).toEqual(
        Exit.fail(
          expect.objectContaining({
            message: `a Postgres server (pid ${server.pid}) left on ${pgdata} did not stop`,
          }),
        ),
      )
    }),
  )

  it.scoped("beside a wf7 process whose server never comes up, a command waits 60 s, then says so", () =>
    Effect.gen(function* () {
      const dataDir = yield* temporaryDirectory("wf7-starting-")
      const holder = yield* stubborn
      yield* Effect.promise(() =>
        fs.writeFile(path.join(dataDir, "wf7.lock"), JSON.stringify({ pid: holder.pid })),
      )
      const joining = yield* Effect.fork(
        embeddedPostgres({ dataDir, persistent: true, database: "wf7", share: true }),
      )
      yield* advance(59)
      expect(yield* Fiber.poll(joining)).toEqual(Option.none())
      yield* advance(2)
      expect(yield* Fiber.await(joining)).toEqual(
        Exit.fail(
          expect.objectContaining({
            message: `WF7_DATA_DIR ${dataDir} is held by wf7 process ${holder.pid}, whose Postgres did not come up`,
          }),
        ),
      )
    }),
  )
})
