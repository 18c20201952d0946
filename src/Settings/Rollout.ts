import { Context, Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"

/**
 * What the engine asks before each batch: is concurrency on, for what share of batches, and how many
 * pages at most in flight. The daemon and `wf7 drain` read it from the settings table (the console
 * changes it without a restart); the demo, the bench and tests fix it from their configuration.
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
