import { Command } from "@effect/cli"
import { lazily } from "./Lazy.js"

export const migrateCommand = Command.make("migrate", {}, () =>
  lazily(
    () => import("./Actions/Migrate.js"),
    (action) => action.migrateNow,
  ),
).pipe(Command.withDescription("Create or update the database schema."))
