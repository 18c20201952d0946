import { NodeHttpServer } from "@effect/platform-node"
import { Duration } from "effect"
import { createServer } from "node:http"

/**
 * The Node server under the API, limited so clients without a token cannot exhaust it: a slow request
 * is answered 408 and disconnected, sockets beyond `maxConnections` are closed at once.
 */

interface ServerLimits {
  readonly maxConnections: number
  /** Time a client has to send its headers, and its whole request (bodies are at most 1 MB). */
  readonly requestTimeout: Duration.Duration
}

export const REQUEST_TIMEOUT = Duration.seconds(10)

export const nodeServerLayer = (port: number, limits: ServerLimits) =>
  NodeHttpServer.layer(
    () => {
      const timeout = Duration.toMillis(limits.requestTimeout)
      const server = createServer({
        headersTimeout: timeout,
        requestTimeout: timeout,
        // Node looks for overdue requests on this interval (30 s by default, which would triple the timeout).
        connectionsCheckingInterval: Math.max(10, Math.min(1000, timeout / 4)),
      })
      server.maxConnections = limits.maxConnections
      return server
    },
    { port },
  )
