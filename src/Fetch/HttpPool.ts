// Modules, not the packages' indexes: those bring all of @effect/platform (the API docs' 3.5 MB
// Swagger UI among it) into every command that fetches (test/Cli/Startup.test.ts).
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Data, Duration, Effect, Exit, Metric } from "effect"
import type { IncomingHttpHeaders } from "node:http"
import { Agent, type Dispatcher, type buildConnector } from "undici"
import { noAnswerWithin, type FetchTimeout } from "./Errors.js"
import { httpConnectionsOpened, httpRequests } from "../Observability/Metrics.js"

/**
 * A keep-alive connection pool: at most `connections` to one host (see Limits.ts for how many).
 * Pages go through `get`, straight on undici: a page's request is the hot path, and the
 * platform client's per-request scope, abort and body stream cost more than the page's own bookkeeping.
 * Connections opened are counted (wf7_http_connections_opened_total) so reuse can be measured.
 */

interface PoolOptions {
  readonly connections: number
  readonly timeoutSeconds: number
  /** Opens the pool's sockets, given its connect options (the SSRF guard of direct fetching). */
  readonly connector?: ((options: buildConnector.BuildOptions) => buildConnector.connector) | undefined
}

/** A request that got no answer ("Transport") or whose body broke off ("Decode"); `cause` is undici's. */
export class RequestFailed extends Data.TaggedError("RequestFailed")<{
  readonly reason: "Transport" | "Decode"
  readonly cause: unknown
}> {}

/** An answer: its status and headers, and its body for `readBody` (dropped unread when not read). */
export interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Dispatcher.ResponseData["body"]
}

/** A header's value; the first, when it came more than once. */
export const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

export const makePool = (options: PoolOptions) =>
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

    // A GET whose answer `use` reads within `within`. The deadline is a timer on the abort signal:
    // `Effect.timeout` forks two fibers per request, which at 1,000 in flight cost more than the requests.
    const get = <A, E>(
      url: URL,
      headers: Record<string, string>,
      within: Duration.Duration,
      use: (answer: Answer) => Effect.Effect<A, E>,
    ): Effect.Effect<A, E | RequestFailed | FetchTimeout> =>
      Effect.suspend(() => {
        const controller = new AbortController()
        let expired = false
        const deadline = setTimeout(() => {
          expired = true
          controller.abort()
        }, Duration.toMillis(within))
        const answered = Effect.async<Answer, RequestFailed>((resume) => {
          agent
            .request({
              origin: url.origin,
              path: url.pathname + url.search,
              method: "GET",
              headers,
              signal: controller.signal,
            })
            .then(
              ({ statusCode, headers, body }) => {
                // A body dropped unread may still report an error: nobody is left to hear it.
                body.on("error", () => {})
                resume(Effect.succeed({ status: statusCode, headers, body }))
              },
              (cause: unknown) => resume(Effect.fail(new RequestFailed({ reason: "Transport", cause }))),
            )
          return Effect.sync(() => controller.abort())
        })
        // Interruptible throughout, so shutdown waits for no request: an interrupted one is aborted. One
        // finalizer does that and clears the deadline, as each layer here is held by every request in flight.
        return Effect.zipRight(Metric.increment(httpRequests), answered).pipe(
          Effect.flatMap((answer) =>
            Effect.ensuring(
              use(answer),
              Effect.sync(() => answer.body.destroy()),
            ),
          ),
          Effect.mapError((error) => (expired ? noAnswerWithin(within) : error)),
          Effect.onExit((exit) =>
            Effect.sync(() => {
              clearTimeout(deadline)
              if (Exit.isInterrupted(exit)) controller.abort()
            }),
          ),
        )
      })

    /** The platform client on the same pool, for the few requests that are not pages (`/account`). */
    const client = NodeHttpClient.makeUndici(agent).pipe(
      HttpClient.tapRequest(() => Metric.increment(httpRequests)),
    )
    return { get, client } as const
  })
