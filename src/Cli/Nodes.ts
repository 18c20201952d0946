import { Command, Options } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

/** `wf7 nodes [--json]`: the daemons and drains of the fleet on this database, alive or dead. */

const json = Options.boolean("json").pipe(Options.withDescription('print {"fleet", "nodes"} as JSON'))

const options = { json }

export type NodesOptions = Command.Command.ParseConfig<typeof options>

export const nodesCommand = lazyCommand("nodes", options, (args) =>
  import("./Actions/Nodes.js").then((action) => action.listNodes(args)),
).pipe(
  Command.withDescription(
    "List the fleet's nodes: share of the account limit, pages in flight, concurrency, last heartbeat (--json for JSON).",
  ),
)
