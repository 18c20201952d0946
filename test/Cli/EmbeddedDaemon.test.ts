import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Redacted, Schedule } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { isAlive, stopOrphan } from "../../src/Embedded/Postmaster.js"
import { embeddedPostgres, temporaryDirectory } from "../../src/EmbeddedPostgres.js"
import { Latency, Sandbox } from "../../src/Sandbox/index.js"
import { clientLayer } from "../../src/Sql.js"
import { runCli, startCli } from "../support/Cli.js"

const KEY = "sk-embedded-7d1a"

/** A daemon on its own embedded database (no DATABASE_URL), leading its own process group like a shell job. */
const daemon = (dataDir: string, env: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const sandbox = yield* Sandbox
    return yield* Effect.acquireRelease(
      Effect.sync(() =>
        startCli(
          ["daemon"],
          {
            WF7_DATA_DIR: dataDir,
            SCRAPER_API_KEY: KEY,
            SCRAPER_API_BASE_URL: sandbox.baseUrl,
            WF7_ENABLE_CONCURRENT_PROCESSING: "true",
            PORT: "0",
            ...env,
          },
          { detached: true },
        ),
      ),
      (daemon) =>
        Effect.sync(() => {
          if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
            process.kill(-(daemon.child.pid ?? 0), "SIGKILL")
          }
        }).pipe(Effect.zipRight(Effect.orDie(stopOrphan(path.join(dataDir, "pg"))))),
    )
  })

const statuses = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ status: string | null; attempts: number }>`
    SELECT page_processing_status AS status, processing_attempts AS attempts FROM pages ORDER BY url`
})

const cli = (args: ReadonlyArray<string>, env: Record<string, string>, stdin = "") =>
  Effect.promise(() => runCli(args, { env, stdin }))

layer(Sandbox.layer({ apiKey: KEY, sites: 10, seed: 5, latency: Latency.Fixed({ ms: 0 }) }), {
  timeout: 120_000,
  excludeTestServices: true,
})("wf7 daemon on the embedded database (real processes)", (it) => {
  it.scoped("Ctrl-C to its process group mid-drain: every in-flight page back to Queued, exit 0", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const dataDir = path.join(yield* temporaryDirectory("wf7-ctrl-c-"), "data")
      const env = { WF7_DATA_DIR: dataDir }
      yield* sandbox.hold
      const running = yield* daemon(dataDir, { WF7_SHUTDOWN_GRACE_SECONDS: "0.5" })
      yield* Effect.promise(() => running.waitFor("worker started"))
      const enqueued = yield* cli(
        ["enqueue", "--select", "-"],
        env,
        sandbox.corpus.urls.slice(0, 4).join("\n"),
      )
      expect(enqueued.code).toBe(0)
      yield* sandbox.awaitInFlight(4)

      process.kill(-(running.child.pid ?? 0), "SIGINT")
      expect(yield* Effect.promise(() => running.exited)).toBe(0)
      yield* sandbox.release
      expect(running.output()).toContain("released 4 unfinished pages to the queue")
      // The daemon stopped its server as its last step: nothing left running on the folder.
      expect(yield* Effect.promise(() => fs.readdir(dataDir))).not.toContain("wf7.lock")
      expect(yield* Effect.promise(() => fs.readdir(path.join(dataDir, "pg")))).not.toContain(
        "postmaster.pid",
      )

      const connection = yield* embeddedPostgres({ dataDir, persistent: true, database: "wf7" })
      const pages = yield* statuses.pipe(
        Effect.provide(clientLayer(connection, { poolSize: 1, connectTimeoutSeconds: 10 })),
      )
      expect(pages).toEqual(Array(4).fill({ status: "Queued", attempts: 0 }))
    }),
  )

  it.scoped("a second signal exits at once and stops the server on the way out", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const dataDir = path.join(yield* temporaryDirectory("wf7-second-signal-"), "data")
      yield* sandbox.hold
      const running = yield* daemon(dataDir, { WF7_SHUTDOWN_GRACE_SECONDS: "600" })
      yield* Effect.promise(() => running.waitFor("worker started"))
      const urls = sandbox.corpus.urls.slice(0, 2).join("\n")
      yield* cli(["enqueue", "--select", "-"], { WF7_DATA_DIR: dataDir }, urls)
      yield* sandbox.awaitInFlight(2)
      running.child.kill("SIGTERM")
      yield* Effect.promise(() => running.waitFor("shutting down"))
      running.child.kill("SIGTERM")
      yield* Effect.promise(() => running.exited)
      yield* sandbox.release
      expect(running.child.signalCode).toBe("SIGTERM")
      // Postgres removes postmaster.pid as the last step of its shutdown.
      const left = yield* Effect.promise(() => fs.readdir(path.join(dataDir, "pg"))).pipe(
        Effect.filterOrFail((files) => !files.includes("postmaster.pid")),
        Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), times: 100 }),
        Effect.either,
      )
      expect(left._tag).toBe("Right")
    }),
  )

  it.scoped("after kill -9, the next command stops the server left behind and takes the folder over", () =>
    Effect.gen(function* () {
      const dataDir = path.join(yield* temporaryDirectory("wf7-kill-9-"), "data")
      const running = yield* daemon(dataDir)
      yield* Effect.promise(() => running.waitFor("worker started"))
      const pidFile = path.join(dataDir, "pg", "postmaster.pid")
      const server = Number.parseInt(yield* Effect.promise(() => fs.readFile(pidFile, "utf8")), 10)
      running.child.kill("SIGKILL")
      yield* Effect.promise(() => running.exited)
      expect(isAlive(server)).toBe(true)

      const migrated = yield* cli(["migrate"], { WF7_DATA_DIR: dataDir })
      expect(migrated.stdout.trim()).toBe("database is up to date")
      expect(isAlive(server)).toBe(false)
      expect(yield* Effect.promise(() => fs.readdir(dataDir))).not.toContain("wf7.lock")
    }),
  )

  it.scoped(
    "every other command works beside it on its database; only a second daemon is refused",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const dataDir = path.join(yield* temporaryDirectory("wf7-beside-"), "data")
        const env = { WF7_DATA_DIR: dataDir }
        const running = yield* daemon(dataDir)
        yield* Effect.promise(() => running.waitFor("worker started"))

        // Side by side, as operators run them: each finds the daemon's server on its own.
        const [second, enqueued] = yield* Effect.all(
          [
            cli(["daemon"], { ...env, PORT: "0" }),
            cli(["enqueue", "--select", "-"], env, sandbox.corpus.urls.slice(0, 3).join("\n")),
          ],
          { concurrency: "unbounded" },
        )
        expect(second.code).toBe(1)
        expect(second.stderr).toContain(`is in use by another wf7 process (pid ${running.child.pid})`)
        expect(enqueued.stdout.trim()).toBe("imported 3 new pages, 0 already known, 3 queued, 0 bad lines")
        const [drained, migrated, diagnosed] = yield* Effect.all(
          [cli(["drain"], env), cli(["migrate"], env), cli(["diagnose", "baseline"], env)],
          { concurrency: "unbounded" },
        )
        expect(drained.code).toBe(0)
        expect(JSON.parse(drained.stdout.trim().split("\n").at(-1) ?? "")).toHaveProperty("pages")
        expect(migrated.stdout.trim()).toBe("database is up to date")
        expect(diagnosed.code).toBe(0)
        expect(diagnosed.stdout).toContain("queued pages")

        // The URL reaches the daemon's server, still up after drain and the others exited.
        const printed = yield* cli(["db-url"], env)
        expect(printed.code).toBe(0)
        const url = printed.stdout.trim()
        expect(url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/wf7$/)
        const pages = yield* statuses.pipe(
          Effect.filterOrFail(
            (pages) => pages.length === 3 && pages.every((page) => page.status === "Complete"),
          ),
          Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), times: 300 }),
          Effect.provide(
            clientLayer({ url: Redacted.make(url) }, { poolSize: 1, connectTimeoutSeconds: 10 }),
          ),
        )
        expect(pages).toHaveLength(3)
        // The lock says how to connect, not the password, which stays in a file only its owner reads.
        const password = decodeURIComponent(new URL(url).password)
        expect(
          yield* Effect.promise(() => fs.readFile(path.join(dataDir, "wf7.lock"), "utf8")),
        ).not.toContain(password)
        expect((yield* Effect.promise(() => fs.stat(path.join(dataDir, "password")))).mode & 0o777).toBe(
          0o600,
        )

        running.child.kill("SIGTERM")
        expect(yield* Effect.promise(() => running.exited)).toBe(0)
        const after = yield* cli(["db-url"], env)
        expect(after.code).toBe(1)
        expect(after.stderr.trim()).toBe(
          `wf7: no wf7 process is running the embedded Postgres of WF7_DATA_DIR ${dataDir}; start wf7 daemon first (the server lives as long as the wf7 process that started it)`,
        )
      }),
    // Nine real processes, at most three at once: past vitest's 60 s default on a loaded machine.
    180_000,
  )
})
