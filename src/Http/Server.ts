import { HttpApiBuilder, HttpApiSwagger, HttpMiddleware, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Data, Effect, Layer } from "effect"
import { createServer } from "node:http"
import { AppConfig } from "../Config.js"
import { ContactsQuery } from "../Pages/ContactsQuery.js"
import { PagesQuery } from "../Pages/PagesQuery.js"
import { PagesStats } from "../Pages/PagesStats.js"
import { Api } from "./Api.js"
import { AuthorizationLive } from "./Auth.js"
import { ContactsLive } from "./Contacts.js"
import { ErrorMiddlewareLive } from "./ErrorMiddleware.js"
import { HealthLive } from "./Health.js"
import { PagesLive } from "./Pages.js"
import { SchedulerLive, StatsLive } from "./Stats.js"

/**
 * The curator API as layers. `HttpApiLive` serves it on whatever `HttpServer` it is given (tests
 * give one on port 0); `HttpLive` is what `wf7 daemon` runs: a Node server on PORT. Routes outside
 * the API (such as /metrics) are added by providing a layer that calls
 * `HttpApiBuilder.Router.use((router) => router.get(…))` to either of them.
 */

const GroupsLive = Layer.mergeAll(HealthLive, PagesLive, ContactsLive, StatsLive, SchedulerLive).pipe(
  Layer.provide(AuthorizationLive),
  Layer.provide(Layer.mergeAll(PagesQuery.Default, ContactsQuery.Default, PagesStats.Default)),
)

export const HttpApiLive = HttpApiBuilder.serve(HttpMiddleware.logger).pipe(
  Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
  Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/docs/openapi.json" })),
  Layer.provide(ErrorMiddlewareLive),
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(GroupsLive))),
  HttpServer.withLogAddress,
)

/** The port is taken or not ours to open: start-up stops with one line saying which port and why. */
export class HttpListenError extends Data.TaggedError("HttpListenError")<{ readonly message: string }> {}

export const HttpLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    HttpApiLive.pipe(
      Layer.provide(NodeHttpServer.layer(createServer, { port: config.port })),
      Layer.mapError(
        (error) =>
          new HttpListenError({
            message: `cannot serve the HTTP API on port ${config.port}: ${
              error.cause instanceof Error ? error.cause.message : String(error.cause)
            }`,
          }),
      ),
    ),
  ),
)
