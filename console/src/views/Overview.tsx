import { useEffect, useState } from "preact/hooks"
import { getJson, token } from "../api.js"
import type { Stats } from "../types.js"
import { ActivityChart } from "./ActivityChart.js"
import { Chart } from "./Chart.js"
import { Warnings } from "./Warnings.js"

/** Samples kept for the live queue chart: ten minutes at the stream's two-second interval. */
const SAMPLES = 300

interface Sample {
  readonly at: number
  readonly queued: number
  readonly processing: number
}

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10} %`)
const secondsText = (value: number | null) => (value === null ? "—" : `${value} s`)

/** Live figures from the stats stream (server-sent events), redrawn as each event arrives. */
const useStatsStream = () => {
  const [stats, setStats] = useState<Stats | undefined>()
  const [samples, setSamples] = useState<ReadonlyArray<Sample>>([])
  const [connection, setConnection] = useState("connecting")

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
      }
      setSamples((previous) => [...previous, sample].slice(-SAMPLES))
    })
    source.addEventListener("error", () => {
      setConnection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting")
      // A closed stream may be a refused token: an ordinary call signs out with the reason then.
      if (source.readyState === EventSource.CLOSED) getJson("/stats").catch(() => undefined)
    })
    return () => source.close()
  }, [])
  return { stats, samples, connection }
}

/** The last minute that is over: the current one is still filling. */
const lastFullMinute = (stats: Stats) => stats.series.last_hour.at(-2)

export const Overview = () => {
  const { stats, samples, connection } = useStatsStream()
  if (stats === undefined) {
    return (
      <section aria-labelledby="overview-title">
        <h1 id="overview-title">Overview</h1>
        <p role="status">Waiting for the stats stream ({connection})…</p>
      </section>
    )
  }
  const { pipeline, last_24h: day, db_pool: pool, rollout } = stats
  const fetcher = pipeline.fetcher
  const minute = lastFullMinute(stats)
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <p class="connection">Stream: {connection}</p>
      {fetcher.state === "paused" && (
        <p role="alert" class="paused">
          Fetching is paused until {new Date(fetcher.until).toLocaleString()}: {fetcher.reason}
        </p>
      )}
      <Warnings warnings={stats.warnings} />
      <dl class="figures" aria-live="polite">
        <Figure id="queued" label="Queued" value={stats.by_processing_status.Queued} />
        <Figure id="processing" label="Processing" value={stats.by_processing_status.Processing} />
        <Figure id="complete" label="Complete" value={stats.by_processing_status.Complete} />
        <Figure id="error" label="Error" value={stats.by_processing_status.Error} />
        <Figure id="contacts-rate" label="Contacts / min (last minute)" value={minute?.contacts ?? "—"} />
        <Figure id="pages-rate" label="Pages / min (last minute)" value={minute?.pages_completed ?? "—"} />
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
        <Figure id="fetcher" label="Fetcher" value={fetcher.state === "paused" ? "paused" : "running"} />
        <Figure id="rate-limited" label="429 answers (since start)" value={stats.rate_limited_total} />
        <Figure
          id="db-pool"
          label="DB pool in use"
          value={`${pool.total - pool.idle} of ${pool.total}, ${pool.waiting} waiting`}
        />
        <Figure
          id="rollout"
          label="Rollout"
          value={
            rollout.concurrent_enabled ? `concurrent, ${rollout.rollout_percent} % of batches` : "sequential"
          }
        />
      </dl>
      <div class="charts">
        <ActivityChart id="last-hour" title="Last hour, per minute" buckets={stats.series.last_hour} />
        <ActivityChart id="last-day" title="Last day, per 15 minutes" buckets={stats.series.last_day} />
        <Chart
          title="Queue (live)"
          times={samples.map((sample) => sample.at)}
          lines={[
            { label: "queued", values: samples.map((sample) => sample.queued) },
            { label: "processing", values: samples.map((sample) => sample.processing) },
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
