import { Effect, Schema } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { LatencyKind } from "../../src/Sandbox/index.js"

/**
 * The simulator in a process of its own (`wf7 sandbox`), as ScraperAPI is remote: its CPU does not
 * count against the pipeline being measured.
 */

export const mainJs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/main.js")

export interface RemoteSandbox {
  readonly baseUrl: string
  readonly apiKey: string
  readonly urls: ReadonlyArray<string>
}

/** Sampling interval of the simulator's in-flight count. */
export const IN_FLIGHT_SAMPLE_MS = 100

const InFlight = Schema.Struct({
  peakInFlight: Schema.Number,
  rateLimited: Schema.Number,
  meanLatencyMs: Schema.Number,
  samples: Schema.Array(Schema.Struct({ at: Schema.Number, inFlight: Schema.Number })),
})

/** The simulator's in-flight samples and its key's peak (`GET /sandbox/in-flight`). */
export const inFlightOf = (sandbox: RemoteSandbox) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.baseUrl}sandbox/in-flight?api_key=${sandbox.apiKey}`)
    return Schema.decodeUnknownSync(InFlight)(await response.json())
  })

export const remoteSandbox = (options: {
  readonly dir: string
  readonly sites: number
  readonly seed: number
  readonly latency: LatencyKind
  readonly latencyMs: number
  /** Requests in flight beyond this get 429 (default: none in practice). */
  readonly concurrencyLimit?: number
}) =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ sandbox: RemoteSandbox; stop: () => void }>((resolve, reject) => {
          const urlsFile = path.join(options.dir, `urls-${options.seed}.txt`)
          const child = spawn(process.execPath, [
            mainJs,
            "sandbox",
            ...["--port", "0", "--sites", String(options.sites), "--seed", String(options.seed)],
            ...["--latency", options.latency, "--latency-ms", String(options.latencyMs)],
            ...["--concurrency-limit", String(options.concurrencyLimit ?? 100_000)],
            ...["--sample-in-flight-ms", String(IN_FLIGHT_SAMPLE_MS)],
            // Throughput is measured in pages: no page should need a second, rendered request.
            ...["--js-share", "0"],
            ...["--write-urls", urlsFile],
          ])
          let output = ""
          child.stdout.on("data", async (chunk) => {
            output += chunk
            const baseUrl = output.match(/export SCRAPER_API_BASE_URL=(\S+)/)?.[1]
            const apiKey = output.match(/export SCRAPER_API_KEY=(\S+)/)?.[1]
            if (baseUrl === undefined || apiKey === undefined) return
            const urls = (await fs.readFile(urlsFile, "utf8")).split("\n").filter(Boolean)
            resolve({ sandbox: { baseUrl, apiKey, urls }, stop: () => child.kill("SIGTERM") })
          })
          child.on("exit", (code) => reject(new Error(`wf7 sandbox exited with ${code}: ${output}`)))
        }),
    ),
    ({ stop }) => Effect.sync(stop),
  ).pipe(Effect.map(({ sandbox }) => sandbox))
