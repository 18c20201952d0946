import { HttpApiBuilder, type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { createHash } from "node:crypto"

/** /docs (~1.9 MB) and openapi.json change only with a build: sent with an ETag, a 304 when unchanged. */

const CACHEABLE = new Set(["/docs", "/docs/openapi.json"])

const CACHE_CONTROL = "public, max-age=3600"

// The platform builds each document's body once, so its tag is computed once per body.
const etags = new WeakMap<Uint8Array, string>()

const etagOf = (body: Uint8Array) => {
  const known = etags.get(body)
  if (known !== undefined) return known
  const etag = `"${createHash("sha256").update(body).digest("base64url")}"`
  etags.set(body, etag)
  return etag
}

const cachedDocs = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    request.method !== "GET" || !CACHEABLE.has(request.url.split("?")[0] ?? "")
      ? app
      : Effect.map(app, (response) => {
          if (response.status !== 200 || response.body._tag !== "Uint8Array") return response
          const headers = { etag: etagOf(response.body.body), "cache-control": CACHE_CONTROL }
          return request.headers["if-none-match"] === headers.etag
            ? HttpServerResponse.empty({ status: 304, headers })
            : HttpServerResponse.setHeaders(response, headers)
        }),
  )

export const DocsCacheLive = HttpApiBuilder.middleware(cachedDocs)
