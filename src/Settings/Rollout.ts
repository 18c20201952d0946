import { Context, Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"

/**
 * What the engine asks before each batch: is concurrency on, for what share, how many pages in flight.
 * The daemon and `wf7 drain` read the settings table; the demo, the bench and tests their configuration.
 */

export interface RolloutSettings {
  readonly concurrentEnabled: boolean
  readonly rolloutPercent: number
  readonly maxConcurrency: number
}

export class Rollout extends Context.Tag("Settings/Rollout")<
  Rollout,
  { readonly current: Effect.Effect<RolloutSettings> }
>() {}

export const fromConfig = (
  config: Pick<AppConfig, "concurrentEnabled" | "rolloutPercent" | "maxConcurrent">,
) =>
  ({
    concurrentEnabled: config.concurrentEnabled,
    rolloutPercent: config.rolloutPercent,
    maxConcurrency: config.maxConcurrent,
  }) satisfies RolloutSettings

export const RolloutFromConfig = Layer.effect(
  Rollout,
  Effect.map(AppConfig, (config) => Rollout.of({ current: Effect.succeed(fromConfig(config)) })),
)
