import { Effect } from "effect"
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
