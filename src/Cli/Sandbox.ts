import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Option } from "effect"
import { DEFAULT_TAIL_FACTOR, describeLatency, LatencyKinds, latencyOf } from "../Sandbox/Latency.js"
import { Sandbox } from "../Sandbox/Server.js"
import { DEFAULT_JS_SHARE, defaultKnobs } from "../Sandbox/State.js"
import { ExitCode } from "./Errors.js"

const EX_UNAVAILABLE = 69

const knob = <A>(options: Options.Options<A>, fallback: A, description: string) =>
  options.pipe(Options.withDefault(fallback), Options.withDescription(`${description} [${fallback}]`))

const knobs = {
  port: knob(Options.integer("port"), 8081, "port to listen on, 0 for a free one"),
  host: knob(Options.text("host"), "127.0.0.1", "address to listen on"),
  sites: knob(Options.integer("sites"), 40, "number of sample business sites"),
  seed: knob(Options.integer("seed"), 1, "seed of the sites and of the fault draws"),
  apiKey: knob(Options.text("api-key"), "sandbox-key", "the key clients must send"),
  latency: knob(
    Options.choice("latency", LatencyKinds),
    "heavy-tailed",
    "distribution of the delay before answers",
  ),
  latencyMs: knob(Options.float("latency-ms"), 1000, "the delay (fixed) or its mean, in milliseconds"),
  latencyMaxMs: Options.float("latency-max-ms").pipe(
    Options.optional,
    Options.withDescription(`cap of heavy-tailed delays [${DEFAULT_TAIL_FACTOR} × --latency-ms]`),
  ),
  concurrencyLimit: knob(
    Options.integer("concurrency-limit"),
    defaultKnobs.concurrencyLimit,
    "requests in flight beyond this get 429",
  ),
  retryAfter: knob(
    Options.integer("retry-after"),
    defaultKnobs.retryAfterSeconds,
    "Retry-After of a 429, in seconds",
  ),
  errorRate: knob(Options.float("error-rate"), 0, "share of requests answered 500"),
  hangRate: knob(Options.float("hang-rate"), 0, "share of requests never answered"),
  resetRate: knob(Options.float("reset-rate"), 0, "share of connections reset"),
  credits: knob(
    Options.integer("credits"),
    defaultKnobs.credits,
    "credit balance: each 200 or 404 costs 1, or 10 rendered (+10 on a protected site)",
  ),
  protectedShare: knob(
    Options.float("protected-share"),
    0,
    "share of sites behind bot protection (billed a 10-credit bypass fee)",
  ),
  jsShare: knob(
    Options.float("js-share"),
    DEFAULT_JS_SHARE,
    "share of sites built by scripts (contacts only when rendered)",
  ),
  notFoundPaths: knob(
    Options.text("not-found-paths"),
    "",
    "comma-separated paths (/about) or URLs answered 404",
  ),
  writeUrls: Options.file("write-urls").pipe(
    Options.optional,
    Options.withDescription("write the sample page URLs to this file, one per line"),
  ),
}

export const sandboxCommand = Command.make("sandbox", knobs, (options) =>
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
  }).pipe(Effect.scoped),
).pipe(
  Command.withDescription("A local ScraperAPI simulator serving sample sites, with latency and fault knobs."),
)
