/**
 * What each environment variable means and its default, for `--help` and `.env.example` (a test
 * keeps this list, `.env.example` and the variables `Config.ts` reads the same).
 */

export type Group = "database" | "fetch" | "processing" | "extract" | "api" | "tracing" | "logging"

interface Variable {
  readonly name: string
  readonly group: Group
  /** The default as an operator would write it in `.env`; undefined when unset means something. */
  readonly fallback: string | undefined
  readonly meaning: string
}

const v = (group: Group, name: string, fallback: string | undefined, meaning: string): Variable => ({
  name,
  group,
  fallback,
  meaning,
})

export const variables: ReadonlyArray<Variable> = [
  v("database", "DATABASE_URL", undefined, "Postgres URL; unset: an embedded PostgreSQL under WF7_DATA_DIR"),
  v("database", "WF7_DATA_DIR", ".wf7", "where the embedded database keeps its data"),
  v("database", "WF7_DB_POOL_SIZE", "5", "most database connections, whatever the fetch concurrency"),
  v("database", "WF7_DB_CONNECT_TIMEOUT_SECONDS", "10", "how long to wait for a database connection"),
  v(
    "database",
    "WF7_DB_POOLER",
    undefined,
    "transaction, session or none: what sits in front of Postgres; unset: detected at start",
  ),
  v(
    "database",
    "WF7_LISTEN_DATABASE_URL",
    undefined,
    "direct Postgres URL used only for LISTEN; behind a transaction pooler without it, polling",
  ),
  v("fetch", "SCRAPER_API_KEY", undefined, "ScraperAPI key (secret: never logged or stored)"),
  v("fetch", "SCRAPER_API_BASE_URL", "https://api.scraperapi.com/", "ScraperAPI endpoint (or the sandbox)"),
  v(
    "fetch",
    "WF7_RENDER",
    undefined,
    "unset = auto: plain first, rendered only when the page needs it; always; never",
  ),
  v("fetch", "SCRAPER_API_RENDER", undefined, "deprecated alias of WF7_RENDER: true = always, false = never"),
  v(
    "fetch",
    "WF7_CREDITS_DAILY_BUDGET",
    undefined,
    "credits a UTC day may spend; then fetching pauses until midnight",
  ),
  v("fetch", "WF7_MAX_CREDITS_PER_REQUEST", "25", "most credits one ScraperAPI request may cost (max_cost)"),
  v("fetch", "WF7_FETCH_MODE", undefined, "scraperapi or direct; unset: scraperapi with a key, else direct"),
  v("fetch", "HTTP_CONNECTION_POOL_SIZE", "50", "direct fetching: most pages fetched at once over all sites"),
  v("fetch", "HTTP_CONNECTIONS_PER_HOST", "20", "direct fetching: keep-alive connections to one site"),
  v("fetch", "HTTP_CONNECTION_TIMEOUT", "70", "seconds before a fetch is abandoned"),
  v("fetch", "WF7_MAX_PAGE_BYTES", "5242880", "largest page body accepted"),
  v("fetch", "WF7_MAX_RETRY_AFTER_SECONDS", "120", "longest Retry-After of a 429 that is honoured"),
  v("fetch", "WF7_CREDITS_PAUSE_SECONDS", "900", "pause after ScraperAPI reports exhausted credits (403)"),
  v("fetch", "WF7_FALLBACK_DIRECT", "false", "fetch directly while ScraperAPI is paused"),
  v("fetch", "WF7_ALLOW_PRIVATE_TARGETS", "false", "let direct fetches reach loopback and private addresses"),
  v(
    "processing",
    "WF7_ENABLE_CONCURRENT_PROCESSING",
    "false",
    "process pages concurrently (false: one at a time)",
  ),
  v(
    "processing",
    "SCRAPER_API_MAX_CONCURRENT",
    "10",
    "most pages in flight at once, one ScraperAPI connection each",
  ),
  v(
    "processing",
    "SCRAPER_API_ACCOUNT_CONCURRENCY",
    undefined,
    "most requests in flight across the whole fleet; unset: the plan's /account limit, if any",
  ),
  v(
    "processing",
    "WF7_NODE_TIMEOUT_SECONDS",
    "15",
    "a node silent this long is dead: its pages rescued, its share redistributed",
  ),
  v(
    "processing",
    "WF7_CONCURRENT_ROLLOUT_PERCENT",
    "100",
    "share of batches run concurrently while rolling out",
  ),
  v("processing", "WF7_CONCURRENT_BATCH_SIZE", "10", "pages claimed per batch"),
  v("processing", "WF7_RETRY_ATTEMPTS", "3", "attempts per page before it is marked Error"),
  v("processing", "WF7_RETRY_BACKOFF_FACTOR", "2", "growth of the exponential backoff between retries"),
  v("processing", "WF7_RETRY_BASE_SECONDS", "1", "first backoff delay"),
  v("processing", "WF7_POLL_INTERVAL_SECONDS", "5", "how often the worker looks for due pages"),
  v(
    "processing",
    "WF7_LEASE_SECONDS",
    "120",
    "a claimed page whose worker stops renewing is rescued after this",
  ),
  v("processing", "WF7_ROLLBACK_ERROR_RATE", "0.2", "concurrent error rate that falls back to sequential"),
  v("processing", "WF7_ROLLBACK_COOLDOWN_SECONDS", "600", "how long the fallback lasts"),
  v("processing", "WF7_SHUTDOWN_GRACE_SECONDS", "30", "time in-flight pages get to finish on SIGTERM/SIGINT"),
  v(
    "processing",
    "WF7_EXTRACT_WORKERS",
    undefined,
    "threads extracting contacts beside the main one; unset: CPUs - 1 (at least 1); 0: on the main thread",
  ),
  v("extract", "WF7_DEFAULT_PHONE_REGION", "US", "region of phone numbers written without a country code"),
  v("extract", "WF7_MAX_CONTACTS_PER_PAGE", "2000", "most contacts kept from one page"),
  v("api", "PORT", "8080", "HTTP API port"),
  v("api", "WF7_API_KEY", undefined, "API key (32+ bytes); unset with WF7_JWT_SECRET: one is generated"),
  v("api", "WF7_JWT_SECRET", undefined, "HS256 secret of accepted JWTs (32+ bytes)"),
  v("api", "WF7_JWT_AUDIENCE", undefined, "required aud claim of JWTs"),
  v("api", "WF7_MAX_FILTERED_BATCH_SIZE", "10000", "most pages one select-all may change"),
  v("api", "WF7_API_DB_POOL_SIZE", "3", "the API's own database connections, apart from the worker's"),
  v("api", "WF7_API_RATE_LIMIT", "50", "requests per second one API client may send"),
  v("api", "WF7_HTTP_MAX_CONNECTIONS", "256", "most connections the HTTP server accepts at once"),
  v("tracing", "OTEL_EXPORTER_OTLP_ENDPOINT", undefined, "OpenTelemetry collector; unset: no tracing"),
  v("tracing", "OTEL_SERVICE_NAME", "wf7", "service name of the spans"),
  v("logging", "WF7_LOG_LEVEL", "info", "trace, debug, info, warning, error or none"),
  v("logging", "WF7_LOG_FORMAT", undefined, "pretty, json or logfmt; unset: pretty on a terminal, else json"),
]

const everything: ReadonlyArray<Group> = ["database", "fetch", "processing", "extract", "api", "tracing"]

// A command not listed (one added later) reads the database settings, as most commands do.
const groupsOf: Record<string, ReadonlyArray<Group>> = {
  daemon: everything,
  drain: ["database", "fetch", "processing", "extract", "tracing"],
  demo: ["processing", "extract"],
  extract: ["extract"],
  sandbox: [],
}

export const environmentOf = (command: string): ReadonlyArray<Variable> => {
  const groups = groupsOf[command] ?? ["database"]
  return variables.filter((variable) => variable.group === "logging" || groups.includes(variable.group))
}
