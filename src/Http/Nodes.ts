import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { NodeTimeout } from "../Config.js"
import { FleetView } from "../Fleet/FleetView.js"
import { Api } from "./Api.js"

/** The fleet for the operator: the shared limit and pause, and each node alive or dead. */
export const NodesLive = HttpApiBuilder.group(Api, "nodes", (handlers) =>
  Effect.gen(function* () {
    const view = yield* FleetView
    const timeoutSeconds = yield* NodeTimeout
    return handlers.handle("list", () =>
      view.list(timeoutSeconds).pipe(
        Effect.orDie,
        Effect.map(({ fleet, nodes }) => ({
          account_limit: fleet.account_limit,
          shared_limit: fleet.shared_limit,
          paused_until: fleet.paused_until,
          pause_reason: fleet.pause_reason,
          nodes,
        })),
      ),
    )
  }),
)
