import {
  FetchHttpClient,
  type FileSystem,
  HttpApiClient,
  HttpClient,
  HttpClientRequest,
  HttpServer,
  type Path,
} from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { ConfigProvider, Context, Effect, Layer, Redacted, Ref } from "effect"
import { SignJWT } from "jose"
import { createServer } from "node:http"
import { AppConfig } from "../../src/Config.js"
import { Api } from "../../src/Http/Api.js"
import { HttpApiLive } from "../../src/Http/Server.js"
import { Curation } from "../../src/Pages/Curation.js"
import { Pipeline, type PipelineStatus } from "../../src/Processing/Pipeline.js"
import { DatabaseConnection } from "../../src/Sql.js"
import { TestDatabase, TestDatabaseLive } from "./TestDatabase.js"

/** How often the API woke the worker, as seen by the test `Pipeline`. */
export class TestPipeline extends Context.Tag("test/TestPipeline")<
  TestPipeline,
  { readonly triggers: Ref.Ref<number> }
>() {}

export const testStatus: PipelineStatus = {
  inFlight: 3,
  effectiveConcurrency: 7,
  maxConcurrency: 10,
  mode: "concurrent",
  fetcher: { state: "paused", until: new Date("2030-01-01T00:00:00.000Z"), reason: "credits exhausted" },
}

/** A `Pipeline` that reports `status` and counts triggers. */
export const pipelineTestLayer = (status: Effect.Effect<PipelineStatus> = Effect.succeed(testStatus)) =>
  Layer.effectContext(
    Effect.gen(function* () {
      const triggers = yield* Ref.make(0)
      return Context.make(TestPipeline, { triggers }).pipe(
        Context.add(Pipeline, { status, trigger: Ref.update(triggers, (count) => count + 1) }),
      )
    }),
  )

export const triggerCount = Effect.flatMap(TestPipeline, ({ triggers }) => Ref.get(triggers))

export const API_KEY = "test-api-key-0123456789-abcdefghijk"
export const JWT_SECRET = "test-jwt-secret-that-is-long-enough-for-hs256"
export const JWT_AUDIENCE = "authenticated"

export const testEnv: Record<string, string> = {
  WF7_API_KEY: API_KEY,
  WF7_JWT_SECRET: JWT_SECRET,
  WF7_JWT_AUDIENCE: JWT_AUDIENCE,
  WF7_MAX_FILTERED_BATCH_SIZE: "5000",
}

/** A JWT for `subject` that the test API accepts, valid five minutes. */
export const jwtFor = (subject: string) =>
  Effect.promise(() =>
    new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(subject)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JWT_SECRET)),
  )

/** `AppConfig` read from `env` alone, not from the environment of the test process. */
export const configLayer = (env: Record<string, string>) =>
  AppConfig.Default.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))),
  )

/** The API on a real Node server on a free port, against the test file's own database. */
export const httpTestLayer = (
  options: {
    readonly env?: Record<string, string>
    readonly pipeline?: Layer.Layer<Pipeline | TestPipeline>
    /** Routes outside the API, as `HttpLive` adds them. */
    readonly routes?: Layer.Layer<never, never, FileSystem.FileSystem | Path.Path>
  } = {},
) =>
  HttpApiLive.pipe(
    Layer.provide(options.routes ?? Layer.empty),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0 })),
    Layer.provideMerge(Curation.Default),
    Layer.provideMerge(options.pipeline ?? pipelineTestLayer()),
    Layer.provideMerge(configLayer(options.env ?? testEnv)),
    Layer.provideMerge(TestDatabaseLive),
  )

/** The test file's database as `DatabaseConnection`, for `HttpLive` to open the API's own pool on. */
export const testConnectionLayer = Layer.effect(
  DatabaseConnection,
  Effect.map(TestDatabase, ({ url }) => ({ url: Redacted.make(url) })),
)

const baseUrl = Effect.gen(function* () {
  const { address } = yield* HttpServer.HttpServer
  if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("the test server listens on TCP")
  return `http://127.0.0.1:${address.port}`
})

/** A real HTTP request to the server under test: for what the API's schemas cannot say. */
export const call = (path: string, init: RequestInit = {}) =>
  Effect.flatMap(baseUrl, (url) => Effect.promise(() => fetch(`${url}${path}`, init)))

/** The API under test through its own definition, as the holder of `token`: answers and errors typed. */
export const apiClientAs = (token: string) =>
  Effect.flatMap(baseUrl, (url) =>
    HttpApiClient.make(Api, {
      baseUrl: url,
      transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token)),
    }),
  ).pipe(Effect.provide(FetchHttpClient.layer))

/** The API under test with the API key. */
export const apiClient = apiClientAs(API_KEY)

type Client = Effect.Effect.Success<typeof apiClient>
export type PageListParams = Parameters<Client["pages"]["list"]>[0]["urlParams"]
export type ContactListParams = Parameters<Client["contacts"]["list"]>[0]["urlParams"]

/** POST /api/v3/pages: imports `urls`, queueing them when `select`. */
export const importUrls = (urls: ReadonlyArray<string>, select = false) =>
  Effect.flatMap(apiClient, (api) => api.pages.import({ payload: { urls, select } }))

/** GET /api/v3/pages with the server's defaults for what `filter` leaves out. */
export const listPages = (filter: Partial<PageListParams> = {}) =>
  Effect.flatMap(apiClient, (api) =>
    api.pages.list({ urlParams: { limit: 100, offset: 0, sort: "created_at", order: "asc", ...filter } }),
  )

/** GET /api/v3/contacts with the server's defaults for what `filter` leaves out. */
export const listContacts = (filter: Partial<ContactListParams> = {}) =>
  Effect.flatMap(apiClient, (api) => api.contacts.list({ urlParams: { limit: 100, offset: 0, ...filter } }))

/** A request with the API key, and its JSON body when `body` is given. */
export const callApi = (path: string, init: { readonly method?: string; readonly body?: unknown } = {}) =>
  call(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })

/** Status and JSON body of a raw response, unchecked: tests match it against what the wire must carry. */
export const json = (response: Response) =>
  Effect.promise(async () => {
    const body: unknown = await response.json()
    return { status: response.status, body }
  })
