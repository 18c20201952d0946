import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Schedule } from "effect"
import * as net from "node:net"
import { nodeServerLayer } from "../../src/Http/NodeServer.js"
import { HttpApiLive, HttpLive } from "../../src/Http/Server.js"
import { configLayer, listPages, pipelineTestLayer, testConnectionLayer, testEnv } from "../support/Http.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** A raw TCP connection to the server under test, closed with the scope. */
const connect = Effect.gen(function* () {
  const server = yield* HttpServer.HttpServer
  if (server.address._tag !== "TcpAddress") return yield* Effect.dieMessage("the test server listens on TCP")
  const port = server.address.port
  return yield* Effect.acquireRelease(
    Effect.async<net.Socket>((resume) => {
      const socket: net.Socket = net.connect(port, "127.0.0.1", () => resume(Effect.succeed(socket)))
      // A connection the server drops may surface as ECONNRESET: the test reads what arrived instead.
      socket.on("error", () => {})
    }),
    (socket) => Effect.sync(() => socket.destroy()),
  )
})

/** Everything the server sent on `socket` until it closed the connection. */
const untilClosed = (socket: net.Socket) =>
  Effect.async<string>((resume) => {
    if (socket.closed) return resume(Effect.succeed(""))
    let received = ""
    socket.on("data", (chunk) => (received += chunk.toString()))
    socket.on("close", () => resume(Effect.succeed(received)))
  })

const PARTIAL_HEADERS = "GET /healthz HTTP/1.1\r\nHost: wf7\r\nX-Slow: "
const HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: wf7\r\nConnection: close\r\n\r\n"

/** The daemon's `HttpLive` on a free port, its API pool and the worker's on the test database. */
const daemonApi = (env: Record<string, string>) =>
  HttpLive.pipe(
    Layer.provide(pipelineTestLayer()),
    Layer.provide(configLayer({ ...testEnv, PORT: "0", ...env })),
    Layer.provide(testConnectionLayer),
    Layer.provideMerge(TestDatabaseLive),
  )

layer(daemonApi({}), { excludeTestServices: true, timeout: 30_000 })(
  "HTTP server: the API's own database pool",
  (it) => {
    it.scoped("answers the API from its own pool while every worker connection is taken", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        // The worker's pool (the test database's, 5 connections) held to the last connection.
        yield* Effect.all(
          Array.from({ length: 5 }, () => sql.reserve),
          { concurrency: "unbounded" },
        )
        const pages = yield* listPages().pipe(
          Effect.timeoutFail({
            duration: Duration.seconds(8),
            onTimeout: () => "the API waited for the worker's pool",
          }),
        )
        expect(pages).toEqual({ items: [], total: 0 })
      }),
    )
  },
)

layer(daemonApi({ WF7_HTTP_MAX_CONNECTIONS: "2" }), { excludeTestServices: true, timeout: 30_000 })(
  "HTTP server: connection cap",
  (it) => {
    it.scoped(
      "closes connections beyond WF7_HTTP_MAX_CONNECTIONS at once, and serves again when they end",
      () =>
        Effect.gen(function* () {
          const held = yield* Effect.all([connect, connect])
          held.forEach((socket) => socket.write(PARTIAL_HEADERS))
          const refused = yield* connect
          refused.write(HEALTHZ)
          expect(yield* untilClosed(refused)).toBe("")

          yield* Effect.forEach(held, (socket) =>
            Effect.sync(() => socket.destroy()).pipe(Effect.zipRight(untilClosed(socket))),
          )
          const answer = yield* Effect.scoped(
            Effect.flatMap(connect, (socket) => {
              socket.write(HEALTHZ)
              return untilClosed(socket)
            }),
          ).pipe(
            // The server counts a connection as ended once it has seen it close.
            Effect.filterOrFail((received) => received.startsWith("HTTP/1.1 200")),
            Effect.retry({ schedule: Schedule.spaced(Duration.millis(50)), times: 40 }),
          )
          expect(answer).toMatch(/^HTTP\/1\.1 200/)
        }),
    )
  },
)

const shortTimeouts = HttpApiLive.pipe(
  Layer.provideMerge(nodeServerLayer(0, { maxConnections: 10, requestTimeout: Duration.millis(300) })),
  Layer.provide(pipelineTestLayer()),
  Layer.provide(configLayer(testEnv)),
  Layer.provide(TestDatabaseLive),
)

layer(shortTimeouts, { excludeTestServices: true, timeout: 30_000 })(
  "HTTP server: request timeouts",
  (it) => {
    it.scoped("a client that never finishes its headers is answered 408 and disconnected", () =>
      Effect.gen(function* () {
        const slow = yield* connect
        slow.write(PARTIAL_HEADERS)
        expect(yield* untilClosed(slow)).toMatch(/^HTTP\/1\.1 408/)
      }),
    )
  },
)
