import { Command } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

export const dbUrlCommand = lazyCommand("db-url", {}, () =>
  import("./Actions/DbUrl.js").then((action) => action.dbUrl),
).pipe(Command.withDescription("Print the database's connection string, password included (for psql)."))
