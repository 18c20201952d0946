/**
 * What the stats stream does not carry yet, read from the daemon's Prometheus text (`GET /metrics`,
 * public): the 429 share of ScraperAPI requests and the database pool's use.
 */

export interface Health {
  /** 429 answers ÷ ScraperAPI requests since the daemon started; null before the first request. */
  readonly rateLimited: number | null
  readonly pool: { readonly total: number; readonly idle: number; readonly waiting: number }
}

/** `name{labels} value` lines, comments skipped. */
const samples = (text: string) =>
  text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const space = line.lastIndexOf(" ")
      return { series: line.slice(0, space), value: Number(line.slice(space + 1)) }
    })

const sum = (lines: ReadonlyArray<{ series: string; value: number }>, test: (series: string) => boolean) =>
  lines.filter((line) => test(line.series)).reduce((total, line) => total + line.value, 0)

export const readHealth = async (): Promise<Health> => {
  const response = await fetch("/metrics")
  const lines = samples(await response.text())
  const requests = sum(lines, (series) => series.startsWith("wf7_scraper_requests_total{"))
  const limited = sum(lines, (series) => series === 'wf7_scraper_requests_total{status="429"}')
  const pool = (state: string) =>
    sum(lines, (series) => series === `wf7_db_pool_connections{state="${state}"}`)
  return {
    rateLimited: requests === 0 ? null : limited / requests,
    pool: { total: pool("total"), idle: pool("idle"), waiting: pool("waiting") },
  }
}
