import { Command } from "@effect/cli"
import { lazyCommand } from "./Lazy.js"

export const migrateCommand = lazyCommand("migrate", {}, () =>
  import("./Actions/Migrate.js").then((action) => action.migrateNow),
).pipe(Command.withDescription("Create or update the database schema."))
