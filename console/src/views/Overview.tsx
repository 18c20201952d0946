import { useEffect, useState } from "preact/hooks"
import { getJson, token } from "../api.js"
import { readHealth, type Health } from "../metrics.js"
import type { Settings, Stats } from "../types.js"
import { Chart } from "./Chart.js"

/** Samples kept for the live queue chart: ten minutes at the stream's two-second interval. */
const SAMPLES = 300

interface Sample {
  readonly at: number
  readonly queued: number
  readonly processing: number
  readonly contacts: number
  readonly finished: number
}

/** A counter's rise per minute over the samples of the last minute; null until two are apart. */
const perMinute = (samples: ReadonlyArray<Sample>, counter: (sample: Sample) => number) => {
  const last = samples.at(-1)
  const first = samples.find((sample) => last !== undefined && last.at - sample.at <= 60)
  if (last === undefined || first === undefined || last.at === first.at) return null
  return Math.round(((counter(last) - counter(first)) / (last.at - first.at)) * 600) / 10
}

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10} %`)
const secondsText = (value: number | null) => (value === null ? "—" : `${value} s`)

/** Live figures from the stats stream (server-sent events), redrawn as each event arrives. */
const useStatsStream = () => {
  const [stats, setStats] = useState<Stats | undefined>()
  const [samples, setSamples] = useState<ReadonlyArray<Sample>>([])
  const [connection, setConnection] = useState("connecting")
  const [health, setHealth] = useState<Health | undefined>()

  useEffect(() => {
    const source = new EventSource(
      `/api/v3/stats/stream?access_token=${encodeURIComponent(token() ?? "")}&interval=2`,
    )
    source.addEventListener("open", () => setConnection("live"))
    source.addEventListener("stats", (event) => {
      const next: Stats = JSON.parse(event.data)
      setStats(next)
      const sample = {
        at: Date.now() / 1000,
        queued: next.by_processing_status.Queued,
        processing: next.by_processing_status.Processing,
        contacts: next.last_24h.contacts,
        finished: next.last_24h.pages_complete + next.last_24h.pages_error,
      }
      setSamples((previous) => [...previous, sample].slice(-SAMPLES))
      readHealth().then(setHealth, () => setHealth(undefined))
    })
    source.addEventListener("error", () => {
      setConnection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting")
      // A closed stream may be a refused token: an ordinary call signs out with the reason then.
      if (source.readyState === EventSource.CLOSED) getJson("/stats").catch(() => undefined)
    })
    return () => source.close()
  }, [])
  return { stats, samples, connection, health }
}

export const Overview = () => {
  const { stats, samples, connection, health } = useStatsStream()
  const [rollout, setRollout] = useState<Settings | undefined>()
  useEffect(() => {
    getJson<Settings>("/settings").then(setRollout, () => undefined)
  }, [])
  if (stats === undefined) {
    return (
      <section aria-labelledby="overview-title">
        <h1 id="overview-title">Overview</h1>
        <p role="status">Waiting for the stats stream ({connection})…</p>
      </section>
    )
  }
  const { pipeline, last_24h: day } = stats
  const fetcher = pipeline.fetcher
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <p class="connection">Stream: {connection}</p>
      {fetcher.state === "paused" && (
        <p role="alert" class="paused">
          Fetching is paused until {new Date(fetcher.until).toLocaleString()}: {fetcher.reason}
        </p>
      )}
      <dl class="figures" aria-live="polite">
        <Figure id="queued" label="Queued" value={stats.by_processing_status.Queued} />
        <Figure id="processing" label="Processing" value={stats.by_processing_status.Processing} />
        <Figure id="complete" label="Complete" value={stats.by_processing_status.Complete} />
        <Figure id="error" label="Error" value={stats.by_processing_status.Error} />
        <Figure
          id="contacts-rate"
          label="Contacts / min"
          value={perMinute(samples, (s) => s.contacts) ?? "—"}
        />
        <Figure id="pages-rate" label="Pages / min" value={perMinute(samples, (s) => s.finished) ?? "—"} />
        <Figure id="contacts-day" label="Contacts (24 h)" value={day.contacts} />
        <Figure id="success" label="Success rate (24 h)" value={percent(day.success_rate)} />
        <Figure
          id="latency"
          label="Selection → complete p50 / p95"
          value={`${secondsText(day.latency_seconds.p50)} / ${secondsText(day.latency_seconds.p95)}`}
        />
        <Figure id="mode" label="Mode" value={pipeline.mode} />
        <Figure
          id="concurrency"
          label="Effective concurrency"
          value={`${pipeline.effective_concurrency} of ${pipeline.max_concurrency}`}
        />
        <Figure id="in-flight" label="In flight" value={pipeline.in_flight} />
        <Figure
          id="rate-limited"
          label="429 rate (since start)"
          value={health === undefined ? "—" : percent(health.rateLimited)}
        />
        <Figure
          id="db-pool"
          label="DB pool in use"
          value={
            health === undefined
              ? "—"
              : `${health.pool.total - health.pool.idle} of ${health.pool.total}, ${health.pool.waiting} waiting`
          }
        />
        <Figure
          id="rollout"
          label="Rollout"
          value={
            rollout === undefined
              ? "—"
              : rollout.concurrent_enabled
                ? `concurrent, ${rollout.rollout_percent} % of batches`
                : "sequential"
          }
        />
      </dl>
      <div class="charts">
        <Chart
          title="Queue (live)"
          times={samples.map((sample) => sample.at)}
          lines={[
            { label: "queued", values: samples.map((sample) => sample.queued) },
            { label: "processing", values: samples.map((sample) => sample.processing) },
          ]}
        />
        <Chart
          title="Last day, per hour"
          times={day.hourly.map((hour) => Date.parse(hour.hour) / 1000)}
          lines={[
            { label: "contacts", values: day.hourly.map((hour) => hour.contacts) },
            { label: "pages", values: day.hourly.map((hour) => hour.pages_completed) },
          ]}
        />
      </div>
    </section>
  )
}

const Figure = (props: { readonly id: string; readonly label: string; readonly value: string | number }) => (
  <div class="figure">
    <dt id={`${props.id}-label`}>{props.label}</dt>
    <dd aria-labelledby={`${props.id}-label`} data-figure={props.id}>
      {props.value}
    </dd>
  </div>
)
