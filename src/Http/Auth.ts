import {
  HttpApiMiddleware,
  HttpApiSecurity,
  HttpApp,
  HttpServerRequest,
  HttpServerResponse,
  OpenApi,
} from "@effect/platform"
import { Console, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import { errors, jwtVerify } from "jose"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { AppConfig } from "../Config.js"
import { TooManyRequests, Unauthorized } from "./Errors.js"
import { RateLimiter } from "./RateLimit.js"

/**
 * Every /api/v3 route needs `Authorization: Bearer <token>`: a JWT signed HS256 with
 * WF7_JWT_SECRET (signature, exp, nbf, and aud when WF7_JWT_AUDIENCE is set, as Supabase issues
 * them), or WF7_API_KEY itself. With neither configured, a key is generated for the run and printed
 * once for the operator, so the API is never open by accident. Each request then spends a token of
 * its client (the API key, the JWT's subject, or the remote address when it is not authenticated).
 */

export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("Http/Authorization", {
  failure: Schema.Union(Unauthorized, TooManyRequests),
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "A JWT (HS256) signed with WF7_JWT_SECRET, or WF7_API_KEY",
      ),
    ),
  },
}) {}

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

export const AuthorizationLive = Layer.effect(
  Authorization,
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

    /** The client the token belongs to, or why it is refused. */
    const authenticate = (authorization: string | undefined, token: string) => {
      if (!/^bearer\s/i.test(authorization ?? "") || token === "") {
        return unauthorized("Missing bearer token: send Authorization: Bearer <JWT or API key>")
      }
      if (Option.isSome(keyDigest) && timingSafeEqual(digest(token), keyDigest.value)) {
        return Effect.succeed("api-key")
      }
      if (Option.isSome(secret)) {
        return Effect.map(verifyJwt(token, secret.value), ({ payload }) => `jwt:${payload.sub ?? ""}`)
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

    return {
      bearer: (credential) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const identity = yield* Effect.either(
            authenticate(request.headers.authorization, Redacted.value(credential).trim()),
          )
          // Failed attempts count against the address they come from, so guessing is limited too.
          const client = Either.getOrElse(
            identity,
            () => `address:${Option.getOrElse(request.remoteAddress, () => "unknown")}`,
          )
          yield* limiter
            .take(client)
            .pipe(Effect.catchTag("RateLimited", ({ retryAfterSeconds }) => tooMany(retryAfterSeconds)))
          yield* Effect.asVoid(identity)
        }),
    }
  }),
)
