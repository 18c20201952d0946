import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import { SignJWT } from "jose"
import { API_KEY, call, httpTestLayer, JWT_AUDIENCE, JWT_SECRET, json } from "../support/Http.js"

const now = () => Math.floor(Date.now() / 1000)

const sign = (
  claims: { readonly exp?: number; readonly nbf?: number; readonly aud?: string },
  secret = JWT_SECRET,
  alg = "HS256",
) =>
  Effect.promise(() => {
    let jwt = new SignJWT({ role: "authenticated" }).setProtectedHeader({ alg }).setSubject("curator-1")
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp)
    if (claims.nbf !== undefined) jwt = jwt.setNotBefore(claims.nbf)
    if (claims.aud !== undefined) jwt = jwt.setAudience(claims.aud)
    return jwt.sign(new TextEncoder().encode(secret))
  })

// Raw: these tests are about the Authorization header, which the typed client sets for itself.
const statsWith = (authorization?: string) =>
  call("/api/v3/stats", authorization === undefined ? {} : { headers: { authorization } }).pipe(
    Effect.flatMap(json),
  )

const expectUnauthorized = (authorization: string | undefined, message: RegExp) =>
  Effect.gen(function* () {
    expect(yield* statsWith(authorization)).toEqual({
      status: 401,
      body: { error: "Unauthorized", message: expect.stringMatching(message) },
    })
  })

describe("HTTP API: authentication", () => {
  it.layer(httpTestLayer())("JWT or API key", (it) => {
    it.effect("accepts the API key and a valid Supabase-shaped JWT", () =>
      Effect.gen(function* () {
        expect((yield* statsWith(`Bearer ${API_KEY}`)).status).toBe(200)
        const token = yield* sign({ exp: now() + 60, aud: JWT_AUDIENCE })
        expect((yield* statsWith(`Bearer ${token}`)).status).toBe(200)
        expect((yield* statsWith(`bearer ${token}`)).status).toBe(200)
      }),
    )

    it.effect("401 for a missing or malformed Authorization header", () =>
      Effect.gen(function* () {
        yield* expectUnauthorized(undefined, /Missing bearer token/)
        yield* expectUnauthorized("Bearer ", /Missing bearer token/)
        yield* expectUnauthorized(`Basic ${API_KEY}`, /Missing bearer token/)
        yield* expectUnauthorized("Bearer not.a.jwt", /Invalid token/)
        yield* expectUnauthorized(`Bearer ${API_KEY}x`, /Invalid token/)
      }),
    )

    it.effect("401 for wrongly signed, expired, not yet valid, wrong audience or exp-less tokens", () =>
      Effect.gen(function* () {
        const wrongSecret = yield* sign(
          { exp: now() + 60, aud: JWT_AUDIENCE },
          "another-secret-of-some-length",
        )
        yield* expectUnauthorized(`Bearer ${wrongSecret}`, /Invalid token: signature verification failed/)
        const expired = yield* sign({ exp: now() - 60, aud: JWT_AUDIENCE })
        yield* expectUnauthorized(`Bearer ${expired}`, /^Token expired$/)
        const early = yield* sign({ exp: now() + 600, nbf: now() + 300, aud: JWT_AUDIENCE })
        yield* expectUnauthorized(`Bearer ${early}`, /Invalid token: "nbf"/)
        const otherAudience = yield* sign({ exp: now() + 60, aud: "anon" })
        yield* expectUnauthorized(`Bearer ${otherAudience}`, /Invalid token: unexpected "aud"/)
        const forever = yield* sign({ aud: JWT_AUDIENCE })
        yield* expectUnauthorized(`Bearer ${forever}`, /Invalid token: missing required "exp"/)
        const hs512 = yield* sign({ exp: now() + 60, aud: JWT_AUDIENCE }, JWT_SECRET, "HS512")
        yield* expectUnauthorized(`Bearer ${hs512}`, /Invalid token/)
      }),
    )

    it.effect("/healthz, /readyz and /docs need no token", () =>
      Effect.gen(function* () {
        expect((yield* call("/healthz")).status).toBe(200)
        expect((yield* call("/readyz")).status).toBe(200)
        expect((yield* call("/docs")).status).toBe(200)
      }),
    )
  })

  it.layer(httpTestLayer({ env: { WF7_JWT_SECRET: JWT_SECRET } }))("JWT only", (it) => {
    it.effect("without WF7_API_KEY only JWTs are accepted", () =>
      Effect.gen(function* () {
        yield* expectUnauthorized(`Bearer ${API_KEY}`, /Invalid token/)
        const token = yield* sign({ exp: now() + 60 })
        expect((yield* statsWith(`Bearer ${token}`)).status).toBe(200)
      }),
    )
  })

  const logged: Array<{ readonly message: unknown; readonly annotations: Record<string, unknown> }> = []
  const capture = Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ message, annotations }) =>
      logged.push({ message, annotations: Object.fromEntries(annotations) }),
    ),
  )

  it.layer(httpTestLayer({ env: {} }).pipe(Layer.provide(capture)))("neither configured", (it) => {
    it.effect("a key is generated: one WARN line says where it is printed, without the key", () =>
      Effect.gen(function* () {
        const lines = logged.filter((entry) => /API key generated/.test(String(entry.message)))
        expect(lines).toHaveLength(1)
        expect(JSON.stringify(lines)).not.toMatch(/[A-Za-z0-9_-]{43}/)
        yield* expectUnauthorized(`Bearer ${API_KEY}`, /Invalid token/)
      }),
    )
  })
})
