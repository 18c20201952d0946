import { HttpApiMiddleware, HttpApiSecurity, HttpServerRequest, OpenApi } from "@effect/platform"
import { Console, Effect, Layer, Option, Redacted } from "effect"
import { errors, jwtVerify } from "jose"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { AppConfig } from "../Config.js"
import { Unauthorized } from "./Errors.js"

/**
 * Every /api/v3 route needs `Authorization: Bearer <token>`: a JWT signed HS256 with
 * WF7_JWT_SECRET (signature, exp, nbf, and aud when WF7_JWT_AUDIENCE is set, as Supabase issues
 * them), or WF7_API_KEY itself. With neither configured, a key is generated for the run and printed
 * once for the operator, so the API is never open by accident.
 */

export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("Http/Authorization", {
  failure: Unauthorized,
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

    return {
      bearer: (credential) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const token = Redacted.value(credential).trim()
          if (!/^bearer\s/i.test(request.headers.authorization ?? "") || token === "") {
            return yield* unauthorized("Missing bearer token: send Authorization: Bearer <JWT or API key>")
          }
          if (Option.isSome(keyDigest) && timingSafeEqual(digest(token), keyDigest.value)) return
          if (Option.isSome(secret)) return yield* Effect.asVoid(verifyJwt(token, secret.value))
          return yield* unauthorized("Invalid token")
        }),
    }
  }),
)
