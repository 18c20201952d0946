import { Context, type Effect } from "effect"

/** The fetch slots the fleet caps: the engine's adaptive limiter, as far as the fleet needs it. */
export class FleetSlots extends Context.Tag("Fleet/FleetSlots")<
  FleetSlots,
  {
    /** `limit` may be held now, `wanted` is the adaptive limit before the fleet's cap. */
    readonly current: Effect.Effect<{
      readonly limit: number
      readonly wanted: number
      readonly inUse: number
    }>
    readonly capTo: (grant: number | undefined) => Effect.Effect<void>
  }
>() {}
