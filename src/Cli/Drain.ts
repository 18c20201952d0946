import { Command } from "@effect/cli"
import { lazily } from "./Lazy.js"

export const drainCommand = Command.make("drain", {}, () =>
  lazily(
    () => import("./Actions/Drain.js"),
    (action) => action.drain,
  ),
).pipe(Command.withDescription("Process queued pages until none is due, then print a JSON summary and exit."))
