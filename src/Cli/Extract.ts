import { Args, Command, Options } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

const url = Options.text("url").pipe(
  Options.optional,
  Options.withDescription("the pages' address: its country TLD hints the region of national numbers"),
)
const files = Args.text({ name: "FILE|-" }).pipe(
  Args.repeated,
  Args.withDescription("HTML pages; - or nothing reads stdin"),
)

export const extractCommand = lazyCommand("extract", { url, files }, (args) =>
  import("./Actions/Extract.js").then((action) => action.extractFiles(args)),
).pipe(Command.withDescription("Print the contacts found in HTML pages, one JSON line per file, in order."))
