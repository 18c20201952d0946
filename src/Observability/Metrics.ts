import { Effect, Metric, MetricBoundaries } from "effect"

/**
 * Every metric of the service, named as Prometheus shows them (README "Monitoring"), in Effect's global
 * registry; counters are `incremental` so the exporter types them as Prometheus counters.
 */

const counter = (name: string, description: string) =>
  Metric.counter(name, { description, incremental: true })

const seconds = (...bounds: Array<number>) => MetricBoundaries.fromIterable(bounds)

export const pagesProcessed = counter(
  "wf7_pages_processed_total",
  "Pages finished, by outcome (complete|error|released|lost) and mode (concurrent|sequential)",
)

export const contactsCreated = counter(
  "wf7_contacts_created_total",
  "New contacts stored (duplicates are not counted), by kind (email|phone|social)",
)

export const scraperRequests = counter(
  "wf7_scraper_requests_total",
  "Requests sent to ScraperAPI, by answer: the HTTP status, or timeout|transport when none came",
)

export const scraperCredits = counter(
  "wf7_scraper_credits_total",
  "ScraperAPI credits spent, by render (true|false): every billed answer (200, 404), never a 429 or 5xx",
)

export const renderDecisions = counter(
  "wf7_render_decisions_total",
  "How pages were fetched in WF7_RENDER=auto (fetch: plain|rendered|escalated) and why (reason)",
)

export const rateLimitErrors = counter(
  "wf7_scraper_rate_limit_errors_total",
  "Fetch attempts answered 429 (each one halves the concurrency limit at most once per window)",
)

export const httpRequests = counter("wf7_http_requests_total", "HTTP requests sent through the fetch pools")

export const httpConnectionsOpened = counter(
  "wf7_http_connections_opened_total",
  "TCP/TLS connections the fetch pools opened (a reused keep-alive connection is not counted)",
)

export const fetchDuration = Metric.histogram(
  "wf7_fetch_duration_seconds",
  seconds(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 70, 90, 120),
  "Duration of one fetch attempt, whatever its outcome",
)

export const batchDuration = Metric.histogram(
  "wf7_batch_duration_seconds",
  seconds(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200),
  "Duration of one batch of claimed pages, by mode",
)

export const selectionToComplete = Metric.histogram(
  "wf7_selection_to_complete_seconds",
  seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600),
  "From a page's selection by a curator to its contacts being stored",
)

export const inFlightPages = Metric.gauge("wf7_in_flight_pages", {
  description: "Pages claimed by this process (node) and not finished yet",
})

export const effectiveConcurrency = Metric.gauge("wf7_effective_concurrency", {
  description:
    "Fetch slots this node may use now (node): the adaptive (AIMD) limit within its fleet share, 1 when sequential",
})

export const fleetNodes = Metric.gauge("wf7_fleet_nodes", {
  description: "Live nodes (daemons and drains) of the fleet on this database, counted every 15 s",
})

export const fleetInFlight = Metric.gauge("wf7_fleet_in_flight_pages", {
  description: "Pages in flight on every live node, as their last heartbeats report",
})

export const fleetConcurrency = Metric.gauge("wf7_fleet_effective_concurrency", {
  description: "Fetch slots allowed on every live node together (at most the account-wide limit)",
})

export const queueDepth = Metric.gauge("wf7_queue_depth", {
  description: "Pages by processing status (Queued|Processing), counted every 15 s",
})

export const dbPoolConnections = Metric.gauge("wf7_db_pool_connections", {
  description: "Postgres pool connections: total open, idle, and callers waiting for one (state)",
})

const connectionReuseRatio = Metric.gauge("wf7_http_connection_reuse_ratio", {
  description: "1 - connections opened / requests sent, since start (seed KPI: above 0.8)",
})

export const outcomes = ["complete", "error", "released", "lost"] as const
export const modes = ["concurrent", "sequential"] as const
export const contactKinds = ["email", "phone", "social"] as const
export const poolStates = ["total", "idle", "waiting"] as const

/** The labelled series at zero, so a rate over them is 0 rather than absent before the first page. */
export const registerSeries = Effect.all(
  [
    ...outcomes.flatMap((outcome) =>
      modes.map((mode) =>
        Metric.incrementBy(
          pagesProcessed.pipe(Metric.tagged("outcome", outcome), Metric.tagged("mode", mode)),
          0,
        ),
      ),
    ),
    ...contactKinds.map((kind) => Metric.incrementBy(Metric.tagged(contactsCreated, "kind", kind), 0)),
    ...["true", "false"].map((render) =>
      Metric.incrementBy(Metric.tagged(scraperCredits, "render", render), 0),
    ),
    Metric.incrementBy(rateLimitErrors, 0),
    Metric.incrementBy(httpRequests, 0),
    Metric.incrementBy(httpConnectionsOpened, 0),
  ],
  { discard: true },
)

export const refreshReuseRatio = Effect.gen(function* () {
  const requests = (yield* Metric.value(httpRequests)).count
  const opened = (yield* Metric.value(httpConnectionsOpened)).count
  if (requests > 0) yield* Metric.set(connectionReuseRatio, Math.max(0, 1 - opened / requests))
})
