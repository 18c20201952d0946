import { Command } from "@effect/cli"
import { lazily } from "./Lazy.js"

export const daemonCommand = Command.make("daemon", {}, () =>
  lazily(
    () => import("./Actions/Daemon.js"),
    (action) => action.daemon,
  ),
).pipe(Command.withDescription("Serve the HTTP API and run the processing scheduler until SIGINT/SIGTERM."))
