import * as HttpClient from "@effect/platform/HttpClient"
import { Duration, Effect, Option, Redacted, Schema } from "effect"
import { AppConfig } from "../Config.js"

/** The ScraperAPI plan as `/account` states it: concurrency and requests used and allowed. */

export const AccountInfo = Schema.Struct({
  concurrencyLimit: Schema.optional(Schema.Number),
  requestCount: Schema.optional(Schema.Number),
  requestLimit: Schema.optional(Schema.Number),
})
export type AccountInfo = typeof AccountInfo.Type

export class ScraperAccount extends Effect.Service<ScraperAccount>()("Fetch/ScraperAccount", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const key = Option.map(config.scraperApiKey, Redacted.value)
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))
    const info = Option.match(key, {
      onNone: () => Effect.succeed(Option.none<AccountInfo>()),
      onSome: (apiKey) =>
        HttpClient.filterStatusOk(client)
          .get(new URL("account", config.scraperApiBaseUrl), { urlParams: { api_key: apiKey } })
          .pipe(
            Effect.flatMap((response) => response.json),
            Effect.flatMap(Schema.decodeUnknown(AccountInfo)),
            Effect.scoped,
            Effect.timeout(Duration.seconds(config.httpTimeoutSeconds)),
            // The tag only: a request error's message holds the URL, and with it the key.
            Effect.tapError((error) =>
              Effect.logWarning("cannot read ScraperAPI /account").pipe(
                Effect.annotateLogs({ reason: error._tag }),
              ),
            ),
            Effect.option,
            Effect.withSpan("ScraperAccount.info"),
          ),
    })
    return { info }
  }),
}) {}
