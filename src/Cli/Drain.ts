import { Command } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

export const drainCommand = lazyCommand("drain", {}, () =>
  import("./Actions/Drain.js").then((action) => action.drain),
).pipe(Command.withDescription("Process queued pages until none is due, then print a JSON summary and exit."))
