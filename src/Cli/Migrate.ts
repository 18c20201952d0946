import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { migrate, SqlLive } from "../Sql.js"

export const migrateCommand = Command.make("migrate", {}, () =>
  Effect.gen(function* () {
    const applied = yield* migrate
    yield* Console.log(
      applied.length === 0
        ? "database is up to date"
        : applied.map(([id, name]) => `applied migration ${id} ${name}`).join("\n"),
    )
  }),
).pipe(Command.withDescription("Create or update the database schema."), Command.provide(SqlLive))
