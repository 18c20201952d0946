import { FileSystem } from "@effect/platform"
import { Console, Effect, Option } from "effect"
import { describeLatency, latencyOf } from "../../Sandbox/Latency.js"
import { Sandbox } from "../../Sandbox/Server.js"
import type { SandboxKnobs } from "../Sandbox.js"
import { EX_UNAVAILABLE, ExitCode } from "../Errors.js"

export const serve = (options: SandboxKnobs) =>
  Effect.gen(function* () {
    const latency = latencyOf(options.latency, options.latencyMs, Option.getOrUndefined(options.latencyMaxMs))
    const sandbox = yield* Sandbox.start({
      port: options.port,
      host: options.host,
      sites: options.sites,
      seed: options.seed,
      jsShare: options.jsShare,
      protectedShare: options.protectedShare,
      apiKey: options.apiKey,
      latency,
      concurrencyLimit: options.concurrencyLimit,
      retryAfterSeconds: options.retryAfter,
      errorRate: options.errorRate,
      hangRate: options.hangRate,
      resetRate: options.resetRate,
      credits: options.credits,
      sampleInFlightMs: Option.getOrUndefined(options.sampleInFlightMs),
      notFound: options.notFoundPaths
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    }).pipe(
      Effect.catchTag("ServeError", (error) =>
        Console.error(`wf7: cannot listen on ${options.host}:${options.port}: ${String(error.cause)}`).pipe(
          Effect.zipRight(new ExitCode({ code: EX_UNAVAILABLE })),
        ),
      ),
    )
    const { corpus } = sandbox
    // The exports come last: a script waiting for them knows the URL file is written.
    if (Option.isSome(options.writeUrls)) {
      const fs = yield* FileSystem.FileSystem
      yield* fs.writeFileString(options.writeUrls.value, `${corpus.urls.join("\n")}\n`)
      yield* Console.log(
        `wrote ${corpus.urls.length} sample URLs to ${options.writeUrls.value} (queue them: wf7 enqueue --select ${options.writeUrls.value})`,
      )
    }
    yield* Console.log(
      [
        `ScraperAPI sandbox on ${sandbox.baseUrl} serving ${corpus.sites.length} sample sites (${corpus.pages.length} pages)`,
        `latency ${describeLatency(latency)}, concurrency limit ${options.concurrencyLimit}, credits ${options.credits}, js share ${options.jsShare}, protected share ${options.protectedShare}, error/hang/reset rates ${options.errorRate}/${options.hangRate}/${options.resetRate}`,
        "Point the daemon at it:",
        `export SCRAPER_API_BASE_URL=${sandbox.baseUrl}`,
        `export SCRAPER_API_KEY=${sandbox.apiKey}`,
      ].join("\n"),
    )
    return yield* Effect.never
  }).pipe(Effect.scoped)
