import { Effect } from "effect"
import { AppConfig } from "../Config.js"
import { Budget } from "./Budget.js"
import { CreditsExhausted } from "./Errors.js"
import { FetchGate } from "./FetchGate.js"
import { PageFetcher, type FetchOptions } from "./PageFetcher.js"

/**
 * The fetcher the pipeline uses: the configured one (ScraperAPI, direct, or ScraperAPI with the
 * direct fallback) behind the gate. A 403 pauses fetching (FetchGate); while paused, and once the
 * day's credit budget is spent, an attempt fails `CreditsExhausted` without a request, unless
 * WF7_FALLBACK_DIRECT sends it directly. Nothing outside Fetch/ asks whether fetching is paused.
 */
export class GatedFetcher extends Effect.Service<GatedFetcher>()("Fetch/GatedFetcher", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const fetcher = yield* PageFetcher
    const gate = yield* FetchGate
    const budget = yield* Budget
    const proxied = config.fetchMode === "scraperapi"

    // Pages already waiting for a slot when a pause starts go back to the queue without a request.
    const admitted = config.fallbackDirect
      ? Effect.void
      : Effect.zipRight(
          proxied ? budget.check() : Effect.void,
          Effect.flatMap(gate.current, (state) =>
            state.state === "paused"
              ? Effect.fail(new CreditsExhausted({ message: `fetching paused: ${state.reason}` }))
              : Effect.void,
          ),
        )

    /** One attempt, admitted by the gate; a refusal for credits pauses every later attempt. */
    const fetch = (url: string, options: FetchOptions) =>
      Effect.zipRight(admitted, fetcher.fetch(url, options)).pipe(
        Effect.tapErrorTag("CreditsExhausted", (error) => gate.pause(error.message)),
      )

    return {
      fetch,
      /** A billed answer, added to the day's spend (which may pause fetching until the next day). */
      charge: budget.charge,
      /** Whether fetching may go on now (a pause that has run out ends here). */
      state: gate.current,
      /** The plan's concurrency limit and credits, from `/account`. */
      probe: gate.probe,
      /** Whether a pause stops the pipeline (with the direct fallback, fetching goes on). */
      stopsWhenPaused: !config.fallbackDirect,
    } as const
  }),
  dependencies: [Budget.Default, FetchGate.Default],
}) {}
