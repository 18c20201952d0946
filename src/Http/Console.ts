import { FileSystem, HttpApiBuilder, HttpRouter, HttpServerResponse, Path } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import { fileURLToPath } from "node:url"

/**
 * The web console's files (`GET /`, `GET /console/*`, built by `npm run build`): public, as they carry no
 * secret (its API calls carry the token). Hashed names are cached for a year, the rest revalidated.
 */

export class ConsoleDirectory extends Context.Tag("Http/ConsoleDirectory")<ConsoleDirectory, string>() {}

/** dist/console beside the compiled code: this file is dist/src/Http/Console.js once built. */
export const ConsoleDirectoryLive = Layer.succeed(
  ConsoleDirectory,
  fileURLToPath(new URL("../../console", import.meta.url)),
)

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// A bundler's content hash (app-3f9a1c2e.js): the name changes whenever the content does.
const HASHED = /[.-][A-Za-z0-9_]{8,}\.(js|css|woff2?|png|svg|map)$/

const securityHeaders = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
}

const notBuilt = HttpServerResponse.text(
  "The web console is not built: run `npm run build`, then restart the daemon.\n",
  { status: 503, headers: { "cache-control": "no-store" } },
)

const notFound = HttpServerResponse.text("Not found\n", {
  status: 404,
  headers: { "cache-control": "no-store" },
})

export const ConsoleRouteLive = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function* () {
    const root = yield* ConsoleDirectory
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path

    const serve = (relative: string) =>
      Effect.gen(function* () {
        const file = path.resolve(root, relative)
        const inside = path.relative(root, file)
        if (relative.includes("\0") || inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) {
          return notFound
        }
        const info = yield* Effect.option(fs.stat(file))
        if (info._tag === "None" || info.value.type !== "File") return notFound
        const cache = HASHED.test(file) ? "public, max-age=31536000, immutable" : "no-cache"
        return yield* HttpServerResponse.file(file, {
          headers: { ...securityHeaders, "cache-control": cache },
        })
      }).pipe(
        Effect.catchAll((error) =>
          Effect.as(Effect.logWarning(`console file ${relative} unreadable; answered 404`, error), notFound),
        ),
      )

    yield* router.get(
      "/",
      Effect.flatMap(fs.exists(path.join(root, "index.html")), (built) =>
        built ? serve("index.html") : Effect.succeed(notBuilt),
      ).pipe(
        Effect.catchAll((error) =>
          Effect.as(Effect.logWarning("console directory unreadable; answered 503", error), notBuilt),
        ),
      ),
    )
    yield* router.get(
      "/console/*",
      Effect.flatMap(HttpRouter.params, (params) => serve(params["*"] ?? "")),
    )
  }),
)
