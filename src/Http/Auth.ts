import {
  HttpApiMiddleware,
  HttpApiSecurity,
  HttpApp,
  HttpServerRequest,
  HttpServerResponse,
  OpenApi,
} from "@effect/platform"
import { Console, Context, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import { errors, jwtVerify } from "jose"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { AppConfig } from "../Config.js"
import { TooManyRequests, Unauthorized } from "./Errors.js"
import { RateLimiter } from "./RateLimit.js"

/**
 * Every /api/v3 route needs `Authorization: Bearer <token>`: a JWT signed HS256 with WF7_JWT_SECRET
 * (exp, nbf, and aud when WF7_JWT_AUDIENCE is set, as Supabase issues them), or WF7_API_KEY. With neither,
 * a key is generated and printed once, so the API is never open by accident. Each request spends a token
 * of its client's rate limit. The stats stream also takes `?access_token=`: EventSource cannot send headers.
 */

/** Who made the request, as the settings history records it: the JWT's subject, or "api key". */
export class Caller extends Context.Tag("Http/Caller")<Caller, { readonly name: string }>() {}

const bearer = HttpApiSecurity.bearer.pipe(
  HttpApiSecurity.annotate(OpenApi.Description, "A JWT (HS256) signed with WF7_JWT_SECRET, or WF7_API_KEY"),
)

export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("Http/Authorization", {
  failure: Schema.Union(Unauthorized, TooManyRequests),
  provides: Caller,
  security: { bearer },
}) {}

export class StreamAuthorization extends HttpApiMiddleware.Tag<StreamAuthorization>()(
  "Http/StreamAuthorization",
  {
    failure: Schema.Union(Unauthorized, TooManyRequests),
    provides: Caller,
    security: {
      bearer,
      accessToken: HttpApiSecurity.apiKey({ key: "access_token", in: "query" }).pipe(
        HttpApiSecurity.annotate(OpenApi.Description, "The same JWT or API key, for EventSource clients"),
      ),
    },
  },
) {}

// Digests have equal length whatever the inputs, which timingSafeEqual requires.
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest()

const unauthorized = (message: string) => Effect.fail(new Unauthorized({ message }))

// Printed alone on stdout, in the form `.env` and `export` take, so the operator can copy it as is.
const generatedKey = Effect.gen(function* () {
  const key = randomBytes(32).toString("base64url")
  yield* Effect.logWarning(
    "Neither WF7_API_KEY nor WF7_JWT_SECRET is set: the API key generated for this run is printed on stdout",
  ).pipe(Effect.annotateLogs({ service: "Http/Auth" }))
  yield* Console.log(`WF7_API_KEY=${key}`)
  return key
})

export const AuthorizationLive = Layer.effectContext(
  Effect.gen(function* () {
    const config = yield* AppConfig
    const limiter = yield* RateLimiter
    const secret = Option.map(config.jwtSecret, (value) => new TextEncoder().encode(Redacted.value(value)))
    const apiKey = Option.isNone(secret)
      ? Option.some(Option.isSome(config.apiKey) ? Redacted.value(config.apiKey.value) : yield* generatedKey)
      : Option.map(config.apiKey, Redacted.value)
    const keyDigest = Option.map(apiKey, digest)
    const audience = Option.getOrUndefined(config.jwtAudience)

    const verifyJwt = (token: string, key: Uint8Array) =>
      Effect.tryPromise({
        try: () =>
          jwtVerify(token, key, {
            algorithms: ["HS256"],
            requiredClaims: ["exp"],
            ...(audience === undefined ? {} : { audience }),
          }),
        catch: (error) =>
          new Unauthorized({
            message:
              error instanceof errors.JWTExpired
                ? "Token expired"
                : `Invalid token${error instanceof errors.JOSEError ? `: ${error.message}` : ""}`,
          }),
      })

    const authenticate = (token: string) => {
      if (Option.isSome(keyDigest) && timingSafeEqual(digest(token), keyDigest.value)) {
        return Effect.succeed({ client: "api-key", name: "api key" })
      }
      if (Option.isSome(secret)) {
        return Effect.map(verifyJwt(token, secret.value), ({ payload }) => ({
          client: `jwt:${payload.sub ?? ""}`,
          name: payload.sub ?? "jwt without subject",
        }))
      }
      return unauthorized("Invalid token")
    }

    const tooMany = (retryAfterSeconds: number) =>
      HttpApp.appendPreResponseHandler((_, response) =>
        Effect.succeed(HttpServerResponse.setHeader(response, "retry-after", String(retryAfterSeconds))),
      ).pipe(
        Effect.zipRight(
          Effect.fail(
            new TooManyRequests({ message: `Too many requests: try again in ${retryAfterSeconds} s` }),
          ),
        ),
      )

    /** Authenticates `token` (None: none was sent) and spends a token of its client's rate limit. */
    const check = (token: Option.Option<string>) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const identity = yield* Effect.either(
          Option.match(token, {
            onNone: () => unauthorized("Missing bearer token: send Authorization: Bearer <JWT or API key>"),
            onSome: authenticate,
          }),
        )
        // Failed attempts count against the address they come from, so guessing is limited too.
        const client = Either.match(identity, {
          onLeft: () => `address:${Option.getOrElse(request.remoteAddress, () => "unknown")}`,
          onRight: (found) => found.client,
        })
        yield* limiter
          .take(client)
          .pipe(Effect.catchTag("RateLimited", ({ retryAfterSeconds }) => tooMany(retryAfterSeconds)))
        const { name } = yield* identity
        return Caller.of({ name })
      })

    const fromHeader = (credential: Redacted.Redacted) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const token = Redacted.value(credential).trim()
        return check(
          /^bearer\s/i.test(request.headers.authorization ?? "") && token !== ""
            ? Option.some(token)
            : Option.none(),
        )
      })

    return Context.make(Authorization, Authorization.of({ bearer: fromHeader })).pipe(
      Context.add(
        StreamAuthorization,
        StreamAuthorization.of({
          // No header: the query parameter is tried instead, and only its failure is counted.
          bearer: (credential) =>
            Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
              request.headers.authorization === undefined
                ? unauthorized("Missing bearer token")
                : fromHeader(credential),
            ),
          accessToken: (credential) => {
            const token = Redacted.value(credential).trim()
            return check(token === "" ? Option.none() : Option.some(token))
          },
        }),
      ),
    )
  }),
)
