import { Clock, Console, Effect, Layer } from "effect"
import { NodeTimeout } from "../../Config.js"
import { FleetView, type FleetListing } from "../../Fleet/FleetView.js"
import { DatabaseLive } from "../../Sql.js"
import type { NodesOptions } from "../Nodes.js"
import { table } from "../Table.js"

const summary = ({ fleet, nodes }: FleetListing) => {
  const alive = nodes.filter((node) => node.alive).length
  const limit =
    fleet.account_limit === null
      ? "no account-wide limit (per-node limits only)"
      : `account limit ${fleet.account_limit}, now ${fleet.shared_limit ?? fleet.account_limit}`
  const paused =
    fleet.paused_until === null
      ? ""
      : `; fetching paused until ${fleet.paused_until.toISOString()} (${fleet.pause_reason ?? ""})`
  return `${nodes.length} nodes, ${alive} alive; ${limit}${paused}`
}

export const listNodes = ({ json }: NodesOptions) =>
  Effect.gen(function* () {
    const timeoutSeconds = yield* NodeTimeout
    const listing = yield* (yield* FleetView).list(timeoutSeconds)
    if (json) return yield* Console.log(JSON.stringify(listing))
    const now = yield* Clock.currentTimeMillis
    if (listing.nodes.length > 0) {
      yield* Console.log(
        table(
          listing.nodes.map((node) => [
            node.id,
            node.host,
            node.pid,
            node.version,
            node.share ?? "-",
            node.in_flight,
            node.effective_concurrency,
            `${Math.max(0, Math.round((now - node.heartbeat_at.getTime()) / 1000))}s ago`,
            node.alive ? "alive" : "dead",
          ]),
          ["node", "host", "pid", "version", "share", "in flight", "concurrency", "heartbeat", "state"],
        ),
      )
    }
    yield* Console.log(summary(listing))
  }).pipe(Effect.provide(FleetView.Default.pipe(Layer.provideMerge(DatabaseLive))))
