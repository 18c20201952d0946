import { Args, Command, Options } from "@effect/cli"
import { lazily } from "./Lazy.js"

const select = Options.boolean("select").pipe(
  Options.withDescription("also select the pages, which queues them"),
)
const file = Args.text({ name: "FILE|-" }).pipe(Args.withDescription("URLs one per line; - reads stdin"))

export const enqueueCommand = Command.make("enqueue", { select, file }, (args) =>
  lazily(
    () => import("./Actions/Enqueue.js"),
    (action) => action.enqueue(args),
  ),
).pipe(Command.withDescription("Import page URLs, one per line; --select also queues them for processing."))
