import { Command, Options } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

/**
 * Everything embedded: a throw-away Postgres, the ScraperAPI simulator with a fixed latency, ~60
 * sample pages selected through the curation service, processed sequentially and then concurrently,
 * and a table comparing the two. Nothing is left running or on disk afterwards.
 */

const pagesOption = Options.integer("pages").pipe(Options.withDefault(60))
const latencyOption = Options.integer("latency-ms").pipe(Options.withDefault(800))
const concurrencyOption = Options.integer("concurrency").pipe(Options.withDefault(10))

const options = { pages: pagesOption, latencyMs: latencyOption, concurrency: concurrencyOption }

export type DemoOptions = Command.Command.ParseConfig<typeof options>

export const demoCommand = lazyCommand("demo", options, (args) =>
  import("./Actions/Demo.js").then((action) => action.demo(args)),
).pipe(
  Command.withDescription(
    "Run the pipeline on embedded Postgres and the simulator: sequential vs concurrent.",
  ),
)
