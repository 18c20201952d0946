import { Effect } from "effect"
import { AppConfig } from "../Config.js"
import { Budget } from "./Budget.js"
import { CreditsExhausted } from "./Errors.js"
import { FetchGate } from "./FetchGate.js"
import { PageFetcher, type FetchOptions } from "./PageFetcher.js"

/**
 * The fetcher the pipeline uses: the configured one behind the gate. A 403 pauses fetching (FetchGate);
 * while paused, and once the day's credit budget is spent, an attempt fails `CreditsExhausted` without a
 * request, unless WF7_FALLBACK_DIRECT sends it directly. Nothing outside Fetch/ asks whether it is paused.
 */
export class GatedFetcher extends Effect.Service<GatedFetcher>()("Fetch/GatedFetcher", {
  effect: Effect.gen(function* () {
    const { fetchMode, fallbackDirect } = yield* AppConfig
    const proxied = fetchMode === "scraperapi"
    const fetcher = yield* PageFetcher
    const gate = yield* FetchGate
    const budget = yield* Budget

    // Pages already waiting for a slot when a pause starts go back to the queue without a request.
    const admitted = fallbackDirect
      ? Effect.void
      : Effect.zipRight(
          proxied ? budget.check() : Effect.void,
          Effect.flatMap(gate.current, (state) =>
            state.state === "paused"
              ? Effect.fail(new CreditsExhausted({ message: `fetching paused: ${state.reason}` }))
              : Effect.void,
          ),
        )

    const fetch = (url: string, options: FetchOptions) =>
      Effect.zipRight(admitted, fetcher.fetch(url, options)).pipe(
        Effect.tapErrorTag("CreditsExhausted", (error) => gate.pause(error.message)),
      )

    return {
      fetch,
      charge: budget.charge,
      state: gate.current,
      probe: gate.probe,
      stopsWhenPaused: !fallbackDirect,
    } as const
  }),
  dependencies: [Budget.Default, FetchGate.Default],
}) {}
