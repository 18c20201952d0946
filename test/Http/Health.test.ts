import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, Redacted, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { NotReady } from "../../src/Http/Errors.js"
import { HttpApiLive, HttpLive } from "../../src/Http/Server.js"
import { migrations } from "../../src/migrations/index.js"
import { Curation } from "../../src/Pages/Curation.js"
import { clientLayer, migrate } from "../../src/Sql.js"
import {
  apiClient,
  call,
  configLayer,
  httpTestLayer,
  json,
  pipelineTestLayer,
  testConnectionLayer,
  testEnv,
} from "../support/Http.js"
import { databaseUrl } from "../support/TestDatabase.js"

/** Every shipped migration as /readyz names it, `1_schema` for `00001_schema`. */
const shipped = Object.keys(migrations).map((key) => key.replace(/^0+/, ""))

const OpenApiPaths = Schema.Struct({ paths: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })

/** A second API server whose database is `name`, built in the caller's scope. */
const serverOn = (name: string) =>
  Layer.build(
    HttpApiLive.pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0 })),
      Layer.provide(Curation.Default),
      Layer.provide(pipelineTestLayer()),
      Layer.provideMerge(configLayer(testEnv)),
      Layer.provideMerge(
        clientLayer({ url: Redacted.make(databaseUrl(name)) }, { poolSize: 2, connectTimeoutSeconds: 10 }),
      ),
    ),
  )

it.layer(httpTestLayer())("HTTP API: health and docs", (it) => {
  it.effect("/healthz answers; /readyz is ready with every migration applied", () =>
    Effect.gen(function* () {
      const api = yield* apiClient
      expect(yield* api.health.healthz()).toEqual({ status: "ok" })
      expect(yield* api.health.readyz()).toEqual({ status: "ready", migrations: shipped.length })
    }),
  )

  it.scoped("/readyz is 503 while migrations are pending and while the database is gone", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const name = `wf7_readyz_${randomUUID().replaceAll("-", "")}`
      yield* sql.unsafe(`CREATE DATABASE ${name}`)
      yield* Effect.addFinalizer(() =>
        Effect.orDie(sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
      )
      const server = yield* serverOn(name)
      const api = yield* Effect.provide(apiClient, server)
      const readyz = Effect.flip(api.health.readyz())

      expect(yield* readyz).toEqual(new NotReady({ message: `Migrations pending: ${shipped.join(", ")}` }))
      yield* migrate.pipe(Effect.provide(server))
      expect(yield* api.health.readyz()).toEqual({ status: "ready", migrations: shipped.length })
      yield* sql.unsafe(`DROP DATABASE ${name} WITH (FORCE)`)
      expect(yield* readyz).toEqual(new NotReady({ message: "The database is unreachable" }))
      expect(yield* api.health.healthz()).toEqual({ status: "ok" })
    }),
  )

  it.effect("/docs serves Swagger UI and /docs/openapi.json the OpenAPI document with bearer auth", () =>
    Effect.gen(function* () {
      // Raw: /docs and its document are outside the API's own definition.
      const docs = yield* call("/docs")
      expect(docs.headers.get("content-type")).toMatch(/text\/html/)
      expect(yield* Effect.promise(() => docs.text())).toContain("swagger-ui")
      const { status, body } = yield* call("/docs/openapi.json").pipe(Effect.flatMap(json))
      expect(status).toBe(200)
      const { paths } = Schema.decodeUnknownSync(OpenApiPaths)(body)
      expect(Object.keys(paths).sort()).toEqual([
        "/api/v3/contacts",
        "/api/v3/contacts.csv",
        "/api/v3/nodes",
        "/api/v3/pages",
        "/api/v3/pages/count",
        "/api/v3/pages/status",
        "/api/v3/pages/status/filtered",
        "/api/v3/pages/{id}",
        "/api/v3/scheduler/trigger",
        "/api/v3/settings",
        "/api/v3/settings/history",
        "/api/v3/stats",
        "/api/v3/stats/stream",
        "/healthz",
        "/readyz",
      ])
      expect(body).toMatchObject({
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
        paths: {
          "/api/v3/pages": { get: { security: [{ bearer: [] }] } },
          "/api/v3/nodes": { get: { security: [{ bearer: [] }] } },
          "/healthz": { get: { security: [] } },
          "/api/v3/stats/stream": { get: { security: [{ bearer: [] }, { accessToken: [] }] } },
        },
      })
    }),
  )

  it.effect("/docs and the OpenAPI document are cacheable; a browser that has them gets an empty 304", () =>
    Effect.gen(function* () {
      for (const path of ["/docs", "/docs/openapi.json"]) {
        const first = yield* call(path)
        const etag = first.headers.get("etag")
        expect(first.status).toBe(200)
        expect(first.headers.get("cache-control")).toBe("public, max-age=3600")
        expect(etag).toMatch(/^"[\w-]+"$/)
        expect(yield* call(path).pipe(Effect.map((again) => again.headers.get("etag")))).toBe(etag)

        const revalidated = yield* call(path, { headers: { "if-none-match": etag ?? "" } })
        expect(revalidated.status).toBe(304)
        expect(yield* Effect.promise(() => revalidated.text())).toBe("")
        expect((yield* call(path, { headers: { "if-none-match": '"stale"' } })).status).toBe(200)
      }
    }),
  )

  it.scoped("HttpLive serves on PORT, logs the address, and takes extra routes such as /metrics", () =>
    Effect.gen(function* () {
      const messages: Array<string> = []
      const capture = Logger.replace(
        Logger.defaultLogger,
        Logger.make(({ message }) => messages.push([message].flat().join(" "))),
      )
      yield* Layer.build(
        HttpLive.pipe(
          Layer.provide(
            HttpApiBuilder.Router.use((router) =>
              router.get("/metrics", HttpServerResponse.text("wf7_up 1\n")),
            ),
          ),
          Layer.provide(pipelineTestLayer()),
          Layer.provide(configLayer({ ...testEnv, PORT: "0" })),
          Layer.provide(testConnectionLayer),
          Layer.provide(capture),
        ),
      )
      const listening = messages.find((message) => message.startsWith("Listening on http://"))
      expect(listening).toMatch(/^Listening on http:\/\/0\.0\.0\.0:\d+$/)
      const port = listening?.split(":").pop()
      const response = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/healthz`))
      expect(response.status).toBe(200)
      const metrics = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/metrics`))
      expect(yield* Effect.promise(() => metrics.text())).toBe("wf7_up 1\n")
    }),
  )

  it.scoped("HttpLive on a port already in use stops start-up with a line naming the port", () =>
    Effect.gen(function* () {
      const taken = yield* Effect.acquireRelease(
        Effect.async<Server>((resume) => {
          const server = createServer().listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
        }),
        (server) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void))),
      )
      const port = (taken.address() as AddressInfo).port
      const error = yield* Layer.build(
        HttpLive.pipe(
          Layer.provide(pipelineTestLayer()),
          Layer.provide(configLayer({ ...testEnv, PORT: String(port) })),
          Layer.provide(testConnectionLayer),
        ),
      ).pipe(Effect.flip)
      expect(error.message).toMatch(
        new RegExp(`^cannot serve the HTTP API on port ${port}: listen EADDRINUSE`),
      )
    }),
  )
})
