import { Args, Command, Options } from "@effect/cli"
import { lazily } from "./Lazy.js"

const url = Options.text("url").pipe(
  Options.optional,
  Options.withDescription("the pages' address: its country TLD hints the region of national numbers"),
)
const files = Args.text({ name: "FILE|-" }).pipe(
  Args.repeated,
  Args.withDescription("HTML pages; - or nothing reads stdin"),
)

export const extractCommand = Command.make("extract", { url, files }, (args) =>
  lazily(
    () => import("./Actions/Extract.js"),
    (action) => action.extractFiles(args),
  ),
).pipe(Command.withDescription("Print the contacts found in HTML pages, one JSON line per file, in order."))
