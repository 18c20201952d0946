import { HttpApiBuilder, HttpApiSwagger, HttpMiddleware, HttpServer } from "@effect/platform"
import { Data, Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"
import { FleetView } from "../Fleet/FleetView.js"
import { ContactsQuery } from "../Pages/ContactsQuery.js"
import { Curation } from "../Pages/Curation.js"
import { PagesQuery } from "../Pages/PagesQuery.js"
import { PagesStats } from "../Pages/PagesStats.js"
import { Diagnostics } from "../Pages/Diagnostics.js"
import { Settings } from "../Settings/Settings.js"
import { ApiSqlLive } from "../Sql.js"
import { redactedAccessLog } from "./AccessLog.js"
import { Api } from "./Api.js"
import { AuthorizationLive } from "./Auth.js"
import { ConsoleDirectoryLive, ConsoleRouteLive } from "./Console.js"
import { ContactsLive } from "./Contacts.js"
import { DocsCacheLive } from "./Docs.js"
import { ErrorMiddlewareLive } from "./ErrorMiddleware.js"
import { HealthLive } from "./Health.js"
import { nodeServerLayer, REQUEST_TIMEOUT } from "./NodeServer.js"
import { NodesLive } from "./Nodes.js"
import { PagesLive } from "./Pages.js"
import { RateLimiter } from "./RateLimit.js"
import { SettingsLive } from "./Settings.js"
import { SchedulerLive } from "./Scheduler.js"
import { StatsLive } from "./Stats.js"
import { StatsReport } from "./StatsReport.js"
import { StatsStreamLive } from "./StatsStream.js"

/**
 * The curator API as layers: `HttpApiLive` on any `HttpServer`, `HttpLive` on PORT with the console and
 * the API's own pool. Other routes (/metrics) are layers that call `HttpApiBuilder.Router.use`.
 */

const GroupsLive = Layer.mergeAll(
  HealthLive,
  PagesLive,
  ContactsLive,
  StatsLive,
  StatsStreamLive,
  SchedulerLive,
  SettingsLive,
  NodesLive,
).pipe(
  Layer.provide(StatsReport.Default),
  Layer.provide(AuthorizationLive.pipe(Layer.provide(RateLimiter.Default))),
  Layer.provide(
    Layer.mergeAll(
      PagesQuery.Default,
      ContactsQuery.Default,
      PagesStats.Default,
      Curation.Default,
      Settings.Default,
      Diagnostics.Default,
      FleetView.Default,
    ),
  ),
)

export const HttpApiLive = HttpApiBuilder.serve(redactedAccessLog).pipe(
  // Replaced by the span of `redactedAccessLog`: the platform's records the URL with its query.
  HttpMiddleware.withTracerDisabledWhen(() => true),
  Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
  Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/docs/openapi.json" })),
  Layer.provide(ErrorMiddlewareLive),
  Layer.provide(DocsCacheLive),
  Layer.provide(HttpApiBuilder.api(Api).pipe(Layer.provide(GroupsLive))),
  HttpServer.withLogAddress,
)

/** The port is taken or not ours to open: start-up stops with one line saying which port and why. */
class HttpListenError extends Data.TaggedError("HttpListenError")<{ readonly message: string }> {}

export const HttpLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    HttpApiLive.pipe(
      Layer.provide(ConsoleRouteLive.pipe(Layer.provide(ConsoleDirectoryLive))),
      Layer.provideMerge(
        nodeServerLayer(config.port, {
          maxConnections: config.httpMaxConnections,
          requestTimeout: REQUEST_TIMEOUT,
        }).pipe(
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
    ),
  ),
).pipe(Layer.provide(ApiSqlLive))
