import { Command, Options } from "@effect/cli"
import { DEFAULT_TAIL_FACTOR, LatencyKinds } from "../Sandbox/Latency.js"
import { DEFAULT_JS_SHARE, defaultKnobs } from "../Sandbox/State.js"
import { lazyCommand } from "./Lazy.js"

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
  sampleInFlightMs: Options.integer("sample-in-flight-ms").pipe(
    Options.optional,
    Options.withDescription("sample the requests in flight every N ms, for GET /sandbox/in-flight [off]"),
  ),
  writeUrls: Options.file("write-urls").pipe(
    Options.optional,
    Options.withDescription("write the sample page URLs to this file, one per line"),
  ),
}

export type SandboxKnobs = Command.Command.ParseConfig<typeof knobs>

export const sandboxCommand = lazyCommand("sandbox", knobs, (args) =>
  import("./Actions/Sandbox.js").then((action) => action.serve(args)),
).pipe(
  Command.withDescription("A local ScraperAPI simulator serving sample sites, with latency and fault knobs."),
)
