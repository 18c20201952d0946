import { Args, Command, Options } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

/**
 * `wf7 diagnose [baseline|connections|throughput|stuck|credits] [--json]`: what an operator looks at during
 * a rollout, as readable tables (or one JSON object). Read-only: it runs no migration.
 */

export const sections = ["baseline", "connections", "throughput", "stuck", "credits"] as const

const section = Args.choice(
  sections.map((name) => [name, name] as const),
  { name: "section" },
).pipe(Args.withDescription("one part of the report (all of them by default)"), Args.optional)
const json = Options.boolean("json").pipe(Options.withDescription("print one JSON object instead of tables"))

const options = { section, json }

export type DiagnoseOptions = Command.Command.ParseConfig<typeof options>

export const diagnoseCommand = lazyCommand("diagnose", options, (args) =>
  import("./Actions/Diagnose.js").then((action) => action.diagnose(args)),
).pipe(
  Command.withDescription(
    "Baseline, connections, hourly throughput, stuck pages, credits; tables or --json.",
  ),
)
