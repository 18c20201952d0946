import {
  type HttpApp,
  HttpMiddleware,
  HttpServerError,
  HttpServerRequest,
  HttpTraceContext,
} from "@effect/platform"
import { Effect, Option } from "effect"

/**
 * Each request's access log line and server span, with the query's values replaced: a curator's search
 * text (or a key pasted into a URL) must not reach logs or traces. The platform's own span is off.
 */

export const redactQuery = (url: string): string => {
  const start = url.indexOf("?")
  if (start < 0) return url
  const names = [...new URLSearchParams(url.slice(start + 1)).keys()]
  return `${url.slice(0, start)}?${names.map((name) => `${encodeURIComponent(name)}=REDACTED`).join("&")}`
}

/** The platform's access log, shown the request with its query redacted; the app sees the original. */
const accessLog = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    HttpMiddleware.logger(Effect.provideService(app, HttpServerRequest.HttpServerRequest, request)).pipe(
      Effect.provideService(
        HttpServerRequest.HttpServerRequest,
        request.modify({ url: redactQuery(request.url) }),
      ),
    ),
  )

const serverSpan = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const url = Option.getOrUndefined(HttpServerRequest.toURL(request))
    return Effect.useSpan(
      `http.server ${request.method}`,
      {
        parent: Option.getOrUndefined(HttpTraceContext.fromHeaders(request.headers)),
        kind: "server",
        captureStackTrace: false,
      },
      (span) => {
        span.attribute("http.request.method", request.method)
        if (url !== undefined) {
          span.attribute("url.full", redactQuery(`${url.origin}${url.pathname}${url.search}`))
          span.attribute("url.path", url.pathname)
          if (url.search !== "") span.attribute("url.query", redactQuery(url.search).slice(1))
          span.attribute("url.scheme", url.protocol.slice(0, -1))
        }
        Option.map(request.remoteAddress, (address) => span.attribute("client.address", address))
        return Effect.withParentSpan(app, span).pipe(
          Effect.onExit((exit) =>
            Effect.sync(() =>
              span.attribute("http.response.status_code", HttpServerError.exitResponse(exit).status),
            ),
          ),
        )
      },
    )
  })

export const redactedAccessLog = <E, R>(app: HttpApp.Default<E, R>) => serverSpan(accessLog(app))
