import { SqlClient } from "@effect/sql"
import { Duration, Effect, Schedule } from "effect"
import { Sandbox } from "../../src/Sandbox/index.js"
import { startCli } from "./Cli.js"

/**
 * A real `wf7 daemon` process on `databaseUrl`, fetching concurrently through the simulator with its
 * API on a free port; killed at the end of the scope if it is still running.
 */
export const sandboxDaemon = (databaseUrl: string, apiKey: string, env: Record<string, string> = {}) =>
  Effect.flatMap(Sandbox, (sandbox) =>
    Effect.acquireRelease(
      Effect.sync(() =>
        startCli(["daemon"], {
          DATABASE_URL: databaseUrl,
          SCRAPER_API_KEY: apiKey,
          SCRAPER_API_BASE_URL: sandbox.baseUrl,
          WF7_ENABLE_CONCURRENT_PROCESSING: "true",
          PORT: "0",
          ...env,
        }),
      ),
      (process) => Effect.sync(() => process.child.kill("SIGKILL")),
    ),
  )

/**
 * The daemon `start` launches, once it LISTENs on the test's database: it logs "worker started"
 * before its LISTEN connection is up, and a NOTIFY sent in between is lost (the page waits for a poll).
 */
export const listeningDaemon = <A extends { readonly waitFor: (text: string) => Promise<void> }, E, R>(
  start: Effect.Effect<A, E, R>,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { since } = yield* Effect.head(sql<{ since: Date }>`SELECT now() AS since`)
    const process = yield* start
    yield* Effect.promise(() => process.waitFor("worker started"))
    yield* sql`
      SELECT 1 FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN %' AND backend_start >= ${since}`.pipe(
      Effect.filterOrFail((listeners) => listeners.length > 0),
      Effect.retry({ schedule: Schedule.spaced(Duration.millis(20)), times: 1500 }),
    )
    return process
  })
