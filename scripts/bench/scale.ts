import { Effect } from "effect"
import { table } from "../../src/Cli/Table.js"
import { benchServer, runDrains, type DrainsRun } from "./drains.js"
import { concurrencyEnv } from "./load.js"
import { remoteSandbox } from "./sandboxProcess.js"

/**
 * Issue 15's scale section: 1, 2 and 4 drains at once against one Postgres and one ScraperAPI
 * account whose plan allows ACCOUNT requests at once (the simulator answers 429 beyond it), each node
 * configured for PER_NODE and told the account's limit (SCRAPER_API_ACCOUNT_CONCURRENCY). Ideal:
 * min(ACCOUNT, PER_NODE · N) ÷ mean latency, with the simulator's peak never above ACCOUNT.
 */

const ACCOUNT = 200
const PER_NODE = 100
const LATENCY_MS = 1000
const PAGES = 3000
const nodeCounts = [1, 2, 4]

export interface ScaleRow extends DrainsRun {
  readonly nodes: number
  readonly ideal: number
  readonly idealRatio: number
}

export const benchScale = Effect.gen(function* () {
  const { dir, server } = yield* benchServer("wf7-bench-scale-")
  const rows: Array<ScaleRow> = []
  for (const nodes of nodeCounts) {
    const run = yield* Effect.scoped(
      Effect.flatMap(
        remoteSandbox({
          dir,
          sites: Math.ceil(PAGES / 1.5),
          seed: 50 + nodes,
          latency: "fixed",
          latencyMs: LATENCY_MS,
          concurrencyLimit: ACCOUNT,
        }),
        (sandbox) =>
          runDrains({
            server,
            dir,
            database: `scale_${nodes}`,
            sandbox,
            pages: PAGES,
            drains: nodes,
            env: { ...concurrencyEnv(PER_NODE), SCRAPER_API_ACCOUNT_CONCURRENCY: String(ACCOUNT) },
          }),
      ),
    )
    const ideal = (Math.min(ACCOUNT, PER_NODE * nodes) * 1000) / LATENCY_MS
    const row = { ...run, nodes, ideal, idealRatio: Number((run.pagesPerSecond / ideal).toFixed(3)) }
    console.error(`bench scale: ${JSON.stringify(row)}`)
    rows.push(row)
  }
  return { account: ACCOUNT, perNode: PER_NODE, latencyMs: LATENCY_MS, rows }
}).pipe(Effect.scoped)

export const printScale = (result: Effect.Effect.Success<typeof benchScale>) => {
  console.log(
    `\nScale (issue 15): N drains on one Postgres, SCRAPER_API_ACCOUNT_CONCURRENCY=${result.account} (the simulator's limit), ${result.perNode} per node, fixed ${result.latencyMs} ms`,
  )
  console.log(
    table(
      result.rows.map((row) => [
        row.nodes,
        row.pagesPerSecond,
        row.ideal,
        `${row.idealRatio.toFixed(2)}`,
        `${row.peakInFlight}${row.peakInFlight <= result.account ? " ✓" : " ✗"}`,
        row.rateLimited,
        row.maxDbConnections,
        row.cpuSecondsPer1000,
      ]),
      ["nodes", "pages/s", "ideal", "ratio", "peak in flight", "429s", "DB conns (all)", "CPU s/1000 pages"],
    ),
  )
}
