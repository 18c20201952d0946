import { Console, Effect } from "effect"
import { migrate, SqlLive } from "../../Sql.js"

export const migrateNow = Effect.gen(function* () {
  const applied = yield* migrate
  yield* Console.log(
    applied.length === 0
      ? "database is up to date"
      : applied.map(([id, name]) => `applied migration ${id} ${name}`).join("\n"),
  )
}).pipe(Effect.provide(SqlLive))
