import { Command } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

export const daemonCommand = lazyCommand("daemon", {}, () =>
  import("./Actions/Daemon.js").then((action) => action.daemon),
).pipe(Command.withDescription("Serve the HTTP API and run the processing scheduler until SIGINT/SIGTERM."))
