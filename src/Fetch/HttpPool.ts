import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Metric } from "effect"
import { Agent, type buildConnector } from "undici"
import { httpConnectionsOpened, httpRequests } from "../Observability/Metrics.js"

/**
 * A keep-alive connection pool: at most `connections` to one host (see Limits.ts for how many).
 * Connections opened are counted (wf7_http_connections_opened_total) so reuse can be measured.
 */

interface PoolOptions {
  readonly connections: number
  readonly timeoutSeconds: number
  /** Opens the pool's sockets, given its connect options (the SSRF guard of direct fetching). */
  readonly connector?: ((options: buildConnector.BuildOptions) => buildConnector.connector) | undefined
}

export const makePooledClient = (options: PoolOptions) =>
  Effect.gen(function* () {
    const connect = { timeout: Math.min(options.timeoutSeconds, 30) * 1000 }
    const agent = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new Agent({
            connections: options.connections,
            keepAliveTimeout: 60_000,
            headersTimeout: options.timeoutSeconds * 1000,
            bodyTimeout: options.timeoutSeconds * 1000,
            connect: options.connector?.(connect) ?? connect,
          }),
      ),
      (agent) => Effect.promise(() => agent.destroy()),
    )
    agent.on("connect", () => httpConnectionsOpened.unsafeUpdate(1, []))
    return NodeHttpClient.makeUndici(agent).pipe(HttpClient.tapRequest(() => Metric.increment(httpRequests)))
  })
