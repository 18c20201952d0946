import { Effect } from "effect"
import { table } from "../../src/Cli/Table.js"
import type { LatencyKind } from "../../src/Sandbox/index.js"
import { benchServer, runDrains, type DrainsRun } from "./drains.js"
import { remoteSandbox } from "./sandboxProcess.js"

/**
 * Issue 13's load matrix: `enqueue --select` then `drain`, real processes, at C = 10, 100 and 1000
 * pages in flight, fixed and heavy-tailed latency (mean 1 s), with every limit that could cap C set
 * to C; each row against its targets.
 */

const LATENCY_MS = 1000
const latencies: ReadonlyArray<LatencyKind> = ["fixed", "heavy-tailed"]
const concurrencies = [10, 100, 1000]
/** Twenty waves of C pages: the 10–90 % window the throughput is counted in is a steady state. */
const pagesFor = (concurrency: number) => Math.max(300, 20 * concurrency)

export const targets = {
  littlesRatio: 0.95,
  inFlightP50Ratio: 0.95,
  pagesPerSecondAt1000: 500,
  cpuSecondsPer1000: 3,
  dbConnections: 5,
  peakRssMbAt1000: 300,
}

export interface LoadRow extends DrainsRun {
  readonly concurrency: number
  readonly latency: LatencyKind
  readonly littlesLimit: number
  readonly littlesRatio: number
}

/** The limits a row is held to, each with whether it was met; none where a target does not apply. */
export const checks = (row: LoadRow) => {
  const at1000 = row.concurrency === 1000
  return {
    littlesRatio: row.concurrency <= 100 ? row.littlesRatio >= targets.littlesRatio : undefined,
    inFlightP50: row.inFlightP50 >= targets.inFlightP50Ratio * row.concurrency,
    pagesPerSecond:
      at1000 && row.latency === "fixed" ? row.pagesPerSecond >= targets.pagesPerSecondAt1000 : undefined,
    // At C = 10 every page is a claim, a save and a charge of its own: the issue holds C ≥ 100 to it.
    cpu: row.concurrency >= 100 ? row.cpuSecondsPer1000 <= targets.cpuSecondsPer1000 : undefined,
    dbConnections: row.maxDbConnections <= targets.dbConnections,
    peakRss: at1000 ? row.peakRssMb <= targets.peakRssMbAt1000 : undefined,
  }
}

/** The SCRAPER_API_* / WF7_* / HTTP_* variables that set C pages in flight, all of them C. */
export const concurrencyEnv = (concurrency: number) => ({
  WF7_ENABLE_CONCURRENT_PROCESSING: "true",
  SCRAPER_API_MAX_CONCURRENT: String(concurrency),
  WF7_CONCURRENT_BATCH_SIZE: String(concurrency),
  HTTP_CONNECTION_POOL_SIZE: String(concurrency),
  HTTP_CONNECTIONS_PER_HOST: String(concurrency),
})

export interface LoadOptions {
  /** Only these rows, as `C-latency` (`1000-fixed`); all when empty. */
  readonly only: ReadonlyArray<string>
  readonly cpuProfileDir: string | undefined
}

export const benchLoad = (options: LoadOptions) =>
  Effect.gen(function* () {
    const { dir, server } = yield* benchServer("wf7-bench-load-")
    const matrix = concurrencies.flatMap((concurrency) =>
      latencies.map((latency) => ({ concurrency, latency })),
    )
    const rows: Array<LoadRow> = []
    for (const [index, { concurrency, latency }] of matrix.entries()) {
      if (options.only.length > 0 && !options.only.includes(`${concurrency}-${latency}`)) continue
      const pages = pagesFor(concurrency)
      const run = yield* Effect.scoped(
        Effect.flatMap(
          remoteSandbox({
            dir,
            sites: Math.ceil(pages / 1.5),
            seed: index + 1,
            latency,
            latencyMs: LATENCY_MS,
          }),
          (sandbox) =>
            runDrains({
              server,
              dir,
              database: `load_${index}`,
              sandbox,
              pages,
              drains: 1,
              env: concurrencyEnv(concurrency),
              cpuProfileDir: options.cpuProfileDir,
            }),
        ),
      )
      // W as drawn for this run: a few hundred heavy-tailed draws have a mean some way off the distribution's.
      const littlesLimit = Number(((concurrency * 1000) / run.meanLatencyMs).toFixed(1))
      const row = {
        ...run,
        concurrency,
        latency,
        littlesLimit,
        littlesRatio: Number((run.pagesPerSecond / littlesLimit).toFixed(3)),
      }
      console.error(`bench load: ${JSON.stringify(row)}`)
      rows.push(row)
    }
    return { rows, targets }
  }).pipe(Effect.scoped)

const mark = (met: boolean | undefined) => (met === undefined ? "" : met ? " ✓" : " ✗")

export const printLoad = ({ rows }: Effect.Effect.Success<ReturnType<typeof benchLoad>>) => {
  console.log(
    "\nLoad (issue 13): wf7 enqueue --select, then wf7 drain as a process; simulator in its own process, mean latency 1 s; every concurrency limit = C",
  )
  console.log(
    table(
      rows.map((row) => {
        const met = checks(row)
        return [
          `${row.concurrency}, ${row.latency}`,
          row.pages,
          `${row.pagesPerSecond}${mark(met.pagesPerSecond)}`,
          row.littlesLimit,
          `${row.littlesRatio.toFixed(2)}${mark(met.littlesRatio)}`,
          `${row.inFlightMin} / ${row.inFlightP50}${mark(met.inFlightP50)}`,
          `${row.cpuSecondsPer1000}${mark(met.cpu)}`,
          `${row.peakRssMb}${mark(met.peakRss)}`,
          `${row.maxDbConnections}${mark(met.dbConnections)}`,
        ]
      }),
      [
        "C, latency",
        "pages",
        "pages/s",
        "Little",
        "ratio",
        "in flight min / p50",
        "CPU s/1000 pages",
        "RSS MB",
        "DB conns",
      ],
    ),
  )
  console.log(
    `targets: ratio ≥ ${targets.littlesRatio} at C ≤ 100; in-flight p50 ≥ ${targets.inFlightP50Ratio} C; ≥ ${targets.pagesPerSecondAt1000} pages/s at C = 1000 fixed; CPU ≤ ${targets.cpuSecondsPer1000} s/1000 pages at C ≥ 100; ≤ ${targets.dbConnections} DB connections; RSS ≤ ${targets.peakRssMbAt1000} MB at C = 1000`,
  )
}
