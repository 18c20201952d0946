import { Console, Effect, Option, Redacted } from "effect"
import { DatabaseConfig } from "../../Config.js"
import { runningServerUrl } from "../../EmbeddedPostgres.js"

export const dbUrl = Effect.gen(function* () {
  const config = yield* DatabaseConfig
  const url = Option.isSome(config.url) ? config.url.value : yield* runningServerUrl(config.dataDir)
  yield* Console.log(Redacted.value(url))
})
