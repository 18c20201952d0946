import { Clock, Effect, Layer } from "effect"
import { NodeTimeout } from "../Config.js"
import { FleetGauges } from "../Observability/Sampler.js"
import { NodesRepo, type FleetRow, type NodeRow } from "./NodesRepo.js"

/** The fleet as the operator sees it (`wf7 nodes`, `GET /api/v3/nodes`): the shared limit and every node. */

export interface FleetListing {
  readonly fleet: FleetRow
  readonly nodes: ReadonlyArray<NodeRow>
}

export class FleetView extends Effect.Service<FleetView>()("Fleet/FleetView", {
  effect: Effect.gen(function* () {
    const repo = yield* NodesRepo

    const list = Effect.fn("FleetView.list")(
      function* (timeoutSeconds: number) {
        const now = new Date(yield* Clock.currentTimeMillis)
        const [fleet, nodes] = yield* Effect.all([repo.fleetRow, repo.list({ now, timeoutSeconds })])
        return { fleet, nodes } satisfies FleetListing
      },
      Effect.catchTag("ParseError", Effect.die),
    )

    return { list } as const
  }),
  dependencies: [NodesRepo.Default],
}) {}

export const FleetGaugesLive = Layer.effect(
  FleetGauges,
  Effect.gen(function* () {
    const view = yield* FleetView
    const timeoutSeconds = yield* NodeTimeout
    return view.list(timeoutSeconds).pipe(
      Effect.map(({ nodes }) => nodes.filter((node) => node.alive)),
      Effect.orDie,
    )
  }),
).pipe(Layer.provide(FleetView.Default))
