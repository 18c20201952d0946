import { Args, Command, Options } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

const select = Options.boolean("select").pipe(
  Options.withDescription("also select the pages, which queues them"),
)
const file = Args.text({ name: "FILE|-" }).pipe(Args.withDescription("URLs one per line; - reads stdin"))

export const enqueueCommand = lazyCommand("enqueue", { select, file }, (args) =>
  import("./Actions/Enqueue.js").then((action) => action.enqueue(args)),
).pipe(Command.withDescription("Import page URLs, one per line; --select also queues them for processing."))
