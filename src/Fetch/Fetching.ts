import { Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"
import { makeDirectFetcher } from "./Direct.js"
import { connectionLimits } from "./Limits.js"
import { PageFetcher, type FetchOptions } from "./PageFetcher.js"
import { makeScraperApiFetcher } from "./ScraperApi.js"
import { TargetPolicyLive } from "./TargetPolicy.js"
import { FetchGate } from "./FetchGate.js"

/**
 * The fetcher WF7_FETCH_MODE asks for; with WF7_FALLBACK_DIRECT=true, pages are fetched directly while
 * ScraperAPI is paused for exhausted credits.
 */

const withFallback = Layer.scoped(
  PageFetcher,
  Effect.gen(function* () {
    const proxy = yield* makeScraperApiFetcher
    const direct = yield* makeDirectFetcher
    const gate = yield* FetchGate
    const fetch = (url: string, options?: FetchOptions) =>
      Effect.flatMap(gate.current, (state) =>
        state.state === "paused" ? direct.fetch(url) : proxy.fetch(url, options),
      )
    return { fetch }
  }),
)

export const PageFetcherLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const config = yield* AppConfig
    // Said once at start-up: a limit the operator set that another one silently lowers.
    yield* Effect.forEach(connectionLimits(config).capped, (line) => Effect.logWarning(line))
    if (config.fetchMode === "direct") return Layer.scoped(PageFetcher, makeDirectFetcher)
    if (config.fallbackDirect) return withFallback
    return Layer.scoped(PageFetcher, makeScraperApiFetcher)
  }),
).pipe(Layer.provide(TargetPolicyLive))
