import { Command } from "@effect/cli"
import { lazily } from "./Lazy.js"

export const dbUrlCommand = Command.make("db-url", {}, () =>
  lazily(
    () => import("./Actions/DbUrl.js"),
    (action) => action.dbUrl,
  ),
).pipe(Command.withDescription("Print the database's connection string, password included (for psql)."))
