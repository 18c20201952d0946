import { Cause, Config, ConfigError, Effect, Either, Option, Redacted } from "effect"
import { isSupportedCountry, type CountryCode } from "libphonenumber-js/max"
import { availableParallelism } from "node:os"

/** Every environment variable (SPEC §5.1), typed and range-checked: a bad one fails start-up, named. */

const invalid = (accepts: string, raw: string) =>
  ConfigError.InvalidData([], `must be ${accepts} (got ${JSON.stringify(raw)})`)

const parsed = <A>(name: string, accepts: string, parse: (raw: string) => A | undefined) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) => {
      const value = parse(raw.trim())
      return value === undefined ? Either.left(invalid(accepts, raw)) : Either.right(value)
    }),
  )

const numberIn = (name: string, min: number, max: number, integer: boolean) => {
  const accepts = `${integer ? "an integer" : "a number"} from ${min} to ${max}`
  return parsed(name, accepts, (raw) => {
    const value = raw === "" ? NaN : Number(raw)
    const ok = Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))
    return ok ? value : undefined
  })
}

export const int = (name: string, fallback: number, min: number, max: number) =>
  numberIn(name, min, max, true).pipe(Config.withDefault(fallback))

const optionalInt = (name: string, min: number, max: number) => Config.option(numberIn(name, min, max, true))

const num = (name: string, fallback: number, min: number, max: number) =>
  numberIn(name, min, max, false).pipe(Config.withDefault(fallback))

const boolean = (name: string) =>
  parsed(name, "true or false", (raw) => {
    const lower = raw.toLowerCase()
    if (["true", "1", "yes", "on"].includes(lower)) return true
    if (["false", "0", "no", "off"].includes(lower)) return false
    return undefined
  })

const bool = (name: string, fallback: boolean) => boolean(name).pipe(Config.withDefault(fallback))

export const oneOf = <const A extends string>(name: string, values: ReadonlyArray<A>) =>
  parsed(name, `one of ${values.join(", ")}`, (raw) => values.find((value) => value === raw.toLowerCase()))

const httpUrl = (name: string) =>
  parsed(name, "an http(s) URL", (raw) => {
    try {
      const url = new URL(raw)
      return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined
    } catch {
      return undefined
    }
  })

const secret = (name: string) =>
  Config.option(Config.redacted(name)).pipe(
    Config.map(Option.filter((value) => Redacted.value(value).trim() !== "")),
  )

const MIN_SECRET_BYTES = 32

// A short API key or JWT secret can be guessed offline; the message gives its length, never the value.
const longSecret = (name: string) =>
  Config.option(
    Config.string(name).pipe(
      Config.mapOrFail((raw) => {
        const bytes = Buffer.byteLength(raw.trim(), "utf8")
        return bytes > 0 && bytes < MIN_SECRET_BYTES
          ? Either.left(
              ConfigError.InvalidData([], `must be at least ${MIN_SECRET_BYTES} bytes (got ${bytes})`),
            )
          : Either.right(Redacted.make(raw))
      }),
    ),
  ).pipe(Config.map(Option.filter((value) => Redacted.value(value).trim() !== "")))

// The value is never echoed: a connection URL carries the password. Blank means unset.
const postgresUrl = (name: string) =>
  Config.redacted(name).pipe(
    Config.mapOrFail((url) => {
      const value = Redacted.value(url).trim()
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase()
      if (value === "") return Either.right(Option.none())
      if (scheme === "postgres" || scheme === "postgresql") return Either.right(Option.some(url))
      const got = scheme === undefined ? "no scheme" : `${scheme}://…`
      return Either.left(
        ConfigError.InvalidData(
          [name],
          `must be a URL such as postgres://user:password@host:5432/wf7 (got ${got})`,
        ),
      )
    }),
    Config.option,
    Config.map(Option.flatten),
  )

const text = (name: string) =>
  Config.option(Config.string(name)).pipe(Config.map(Option.filter((value) => value.trim() !== "")))

const region = parsed(
  "WF7_DEFAULT_PHONE_REGION",
  "a two-letter country code such as US, GB or DE",
  (raw): CountryCode | undefined => {
    const code = raw.toUpperCase()
    return isSupportedCountry(code) ? code : undefined
  },
).pipe(Config.withDefault<CountryCode>("US"))

const FetchModes = ["scraperapi", "direct"] as const
type FetchMode = (typeof FetchModes)[number]

/** When ScraperAPI renders JavaScript (10 credits, not 1): `auto` only when the plain page needs it. */
const RenderModes = ["auto", "always", "never"] as const
export type RenderMode = (typeof RenderModes)[number]

/** What sits between wf7 and Postgres: a transaction pooler hands each transaction any server session. */
const PoolerModes = ["transaction", "session", "none"] as const
export type PoolerMode = (typeof PoolerModes)[number]

/** Seconds without a heartbeat after which a node counts as dead (`wf7 nodes` reads it alone). */
export const NodeTimeout = num("WF7_NODE_TIMEOUT_SECONDS", 15, 0.3, 3600)

export const DatabaseConfig = Config.all({
  url: postgresUrl("DATABASE_URL"),
  pooler: Config.option(oneOf("WF7_DB_POOLER", PoolerModes)),
  listenUrl: postgresUrl("WF7_LISTEN_DATABASE_URL"),
  dataDir: Config.string("WF7_DATA_DIR").pipe(Config.withDefault(".wf7")),
  poolSize: int("WF7_DB_POOL_SIZE", 5, 1, 100),
  connectTimeoutSeconds: num("WF7_DB_CONNECT_TIMEOUT_SECONDS", 10, 0.1, 300),
  apiPoolSize: int("WF7_API_DB_POOL_SIZE", 3, 1, 100),
})
export type DatabaseConfig = Config.Config.Success<typeof DatabaseConfig>

export const SettingsConfig = Config.all({
  scraperApiKey: secret("SCRAPER_API_KEY"),
  scraperApiBaseUrl: httpUrl("SCRAPER_API_BASE_URL").pipe(Config.withDefault("https://api.scraperapi.com/")),
  renderMode: Config.option(oneOf("WF7_RENDER", RenderModes)),
  legacyRender: Config.option(boolean("SCRAPER_API_RENDER")),
  creditsDailyBudget: optionalInt("WF7_CREDITS_DAILY_BUDGET", 1, 1_000_000_000),
  maxCreditsPerRequest: int("WF7_MAX_CREDITS_PER_REQUEST", 25, 1, 10_000),
  fetchMode: Config.option(oneOf("WF7_FETCH_MODE", FetchModes)),
  concurrentEnabled: bool("WF7_ENABLE_CONCURRENT_PROCESSING", false),
  maxConcurrent: int("SCRAPER_API_MAX_CONCURRENT", 10, 1, 5000),
  accountConcurrency: optionalInt("SCRAPER_API_ACCOUNT_CONCURRENCY", 1, 100000),
  nodeTimeoutSeconds: NodeTimeout,
  rolloutPercent: int("WF7_CONCURRENT_ROLLOUT_PERCENT", 100, 0, 100),
  batchSize: int("WF7_CONCURRENT_BATCH_SIZE", 10, 1, 10000),
  httpPoolSize: int("HTTP_CONNECTION_POOL_SIZE", 50, 1, 10000),
  httpPerHost: int("HTTP_CONNECTIONS_PER_HOST", 20, 1, 10000),
  httpTimeoutSeconds: num("HTTP_CONNECTION_TIMEOUT", 70, 0.1, 600),
  retryAttempts: int("WF7_RETRY_ATTEMPTS", 3, 1, 20),
  retryBackoffFactor: num("WF7_RETRY_BACKOFF_FACTOR", 2, 1, 10),
  retryBaseSeconds: num("WF7_RETRY_BASE_SECONDS", 1, 0.01, 600),
  pollIntervalSeconds: num("WF7_POLL_INTERVAL_SECONDS", 5, 0.05, 3600),
  leaseSeconds: num("WF7_LEASE_SECONDS", 120, 1, 86400),
  rollbackErrorRate: num("WF7_ROLLBACK_ERROR_RATE", 0.2, 0, 1),
  rollbackCooldownSeconds: num("WF7_ROLLBACK_COOLDOWN_SECONDS", 600, 0, 86400),
  shutdownGraceSeconds: num("WF7_SHUTDOWN_GRACE_SECONDS", 30, 0, 3600),
  creditsPauseSeconds: num("WF7_CREDITS_PAUSE_SECONDS", 900, 0, 86400),
  fallbackDirect: bool("WF7_FALLBACK_DIRECT", false),
  maxPageBytes: int("WF7_MAX_PAGE_BYTES", 5 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  maxContactsPerPage: int("WF7_MAX_CONTACTS_PER_PAGE", 2000, 1, 100000),
  maxRetryAfterSeconds: num("WF7_MAX_RETRY_AFTER_SECONDS", 120, 0, 86400),
  defaultPhoneRegion: region,
  // One core stays with the main thread, which fetches and saves; 0 extracts on the main thread.
  extractWorkers: int("WF7_EXTRACT_WORKERS", Math.max(1, availableParallelism() - 1), 0, 256),
  allowPrivateTargets: bool("WF7_ALLOW_PRIVATE_TARGETS", false),
  port: int("PORT", 8080, 0, 65535),
  httpMaxConnections: int("WF7_HTTP_MAX_CONNECTIONS", 256, 1, 100000),
  apiRateLimit: num("WF7_API_RATE_LIMIT", 50, 0.1, 100000),
  apiKey: longSecret("WF7_API_KEY"),
  jwtSecret: longSecret("WF7_JWT_SECRET"),
  jwtAudience: text("WF7_JWT_AUDIENCE"),
  maxFilteredBatchSize: int("WF7_MAX_FILTERED_BATCH_SIZE", 10000, 1, 1000000),
  otlpEndpoint: text("OTEL_EXPORTER_OTLP_ENDPOINT"),
  otelServiceName: Config.string("OTEL_SERVICE_NAME").pipe(Config.withDefault("wf7")),
})

/** All settings; `fetchMode` resolved: `scraperapi` when a key is set, else `direct`. */
export class AppConfig extends Effect.Service<AppConfig>()("AppConfig", {
  effect: Effect.gen(function* () {
    const settings = yield* SettingsConfig
    const fetchMode: FetchMode = Option.getOrElse(settings.fetchMode, () =>
      Option.isSome(settings.scraperApiKey) ? "scraperapi" : "direct",
    )
    if (fetchMode === "scraperapi" && Option.isNone(settings.scraperApiKey)) {
      return yield* Effect.fail(
        ConfigError.MissingData([], "SCRAPER_API_KEY must be set when WF7_FETCH_MODE=scraperapi"),
      )
    }
    const { legacyRender, ...rest } = settings
    const renderMode: RenderMode = Option.getOrElse(settings.renderMode, () =>
      Option.match(legacyRender, { onNone: () => "auto", onSome: (render) => (render ? "always" : "never") }),
    )
    if (Option.isSome(legacyRender)) {
      yield* Effect.logWarning(
        `SCRAPER_API_RENDER is deprecated: use WF7_RENDER (it maps to WF7_RENDER=${legacyRender.value ? "always" : "never"}${Option.isSome(settings.renderMode) ? ", and WF7_RENDER, also set, wins" : ""})`,
      )
    }
    return { ...rest, fetchMode, renderMode }
  }),
}) {}

/** One line per problem, for the operator: no stack trace, no Effect internals. */
export const describeConfigError = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left, right) => `${left}\n${right}`,
    orCase: (_, left, right) => `${left}\n${right}`,
    invalidDataCase: (_, path, message) => (path.length > 0 ? `${path.join(".")}: ${message}` : message),
    missingDataCase: (_, path, message) => (path.length > 0 ? `${path.join(".")}: ${message}` : message),
    sourceUnavailableCase: (_, path, message) => `${path.join(".")}: ${message}`,
    unsupportedCase: (_, path, message) => `${path.join(".")}: ${message}`,
  })

/** Reads `./.env` when there is one; a variable already set in the environment wins over the file. */
export const loadDotEnv = Effect.try({
  try: () => process.loadEnvFile(".env"),
  catch: (error) => error,
}).pipe(
  Effect.catchIf(
    (error) => error instanceof Error && "code" in error && error.code === "ENOENT",
    () => Effect.void,
  ),
  Effect.mapError((error) =>
    ConfigError.SourceUnavailable(
      [".env"],
      `cannot be read (${error instanceof Error ? error.message : String(error)})`,
      Cause.fail(error),
    ),
  ),
)
