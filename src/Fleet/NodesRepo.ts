import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"

/**
 * The fleet in SQL. Re-balancing runs under one transaction-scoped advisory lock (nothing
 * session-bound, for transaction poolers); times are the nodes' clocks, passed in, so tests drive them.
 */

/** The advisory lock key of the fleet's re-balancing ("wf7fleet" as ASCII digits, any constant will do). */
const FLEET_LOCK = 7_766_102

const stamp = (date: Date) => date.toISOString()

const NodeIdentity = Schema.Struct({
  id: Schema.String,
  host: Schema.String,
  pid: Schema.Number,
  version: Schema.String,
})
type NodeIdentity = typeof NodeIdentity.Type

interface NodeReport {
  readonly id: string
  readonly slotsHeld: number
  readonly share: number | null
  readonly effectiveConcurrency: number
  readonly inFlight: number
  readonly demand: number
  readonly pausedUntil: Date | null
  readonly pauseReason: string | null
}

export const FleetRow = Schema.Struct({
  account_limit: Schema.NullOr(Schema.Number),
  shared_limit: Schema.NullOr(Schema.Number),
  halved_at: Schema.NullOr(Schema.DateFromSelf),
  paused_until: Schema.NullOr(Schema.DateFromSelf),
  pause_reason: Schema.NullOr(Schema.String),
  paused_by: Schema.NullOr(Schema.String),
})
export type FleetRow = typeof FleetRow.Type

export const LiveNode = Schema.Struct({
  id: Schema.String,
  share: Schema.NullOr(Schema.Number),
  slots_held: Schema.Number,
  demand: Schema.Number,
})
export type LiveNode = typeof LiveNode.Type

export const NodeRow = Schema.Struct({
  ...NodeIdentity.fields,
  started_at: Schema.DateFromSelf,
  heartbeat_at: Schema.DateFromSelf,
  share: Schema.NullOr(Schema.Number),
  slots_held: Schema.Number,
  effective_concurrency: Schema.Number,
  in_flight: Schema.Number,
  demand: Schema.Number,
  paused_until: Schema.NullOr(Schema.DateFromSelf),
  pause_reason: Schema.NullOr(Schema.String),
  alive: Schema.Boolean,
})
export type NodeRow = typeof NodeRow.Type

const Since = Schema.Struct({ now: Schema.DateFromSelf, timeoutSeconds: Schema.Number })

export class NodesRepo extends Effect.Service<NodesRepo>()("Fleet/NodesRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const withFleetLock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      sql.withTransaction(Effect.zipRight(sql`SELECT pg_advisory_xact_lock(${FLEET_LOCK})`, effect))

    const register = (node: NodeIdentity, now: Date) =>
      sql`
        INSERT INTO nodes (id, host, pid, version, started_at, heartbeat_at)
        VALUES (${node.id}, ${node.host}, ${node.pid}, ${node.version}, ${stamp(now)}::timestamptz,
          ${stamp(now)}::timestamptz)
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`.pipe(
        Effect.asVoid,
        Effect.withSpan("NodesRepo.register"),
      )

    const deregister = (id: string) =>
      sql`DELETE FROM nodes WHERE id = ${id}`.pipe(Effect.asVoid, Effect.withSpan("NodesRepo.deregister"))

    /** Writes a heartbeat; false when the row is gone (pruned as long dead): the node registers again. */
    const report = (node: NodeReport, now: Date) =>
      sql`
        UPDATE nodes SET heartbeat_at = ${stamp(now)}::timestamptz, slots_held = ${node.slotsHeld},
          share = ${node.share}, effective_concurrency = ${node.effectiveConcurrency},
          in_flight = ${node.inFlight}, demand = ${node.demand},
          paused_until = ${node.pausedUntil === null ? null : stamp(node.pausedUntil)}::timestamptz,
          pause_reason = ${node.pauseReason}
        WHERE id = ${node.id} RETURNING id`.pipe(Effect.map((rows) => rows.length > 0))

    const fleetRow = SqlSchema.single({
      Request: Schema.Void,
      Result: FleetRow,
      execute: () =>
        sql`SELECT account_limit, shared_limit, halved_at, paused_until, pause_reason, paused_by FROM fleet`,
    })

    /** A node's account limit (configured or the plan's) becomes the fleet's; the AIMD value follows down. */
    const setAccountLimit = (limit: number) =>
      sql`
        UPDATE fleet SET account_limit = ${limit},
          shared_limit = LEAST(COALESCE(shared_limit, ${limit}), ${limit})
        WHERE account_limit IS DISTINCT FROM ${limit}`.pipe(Effect.asVoid)

    const liveNodes = SqlSchema.findAll({
      Request: Since,
      Result: LiveNode,
      execute: ({ now, timeoutSeconds }) => sql`
        SELECT id, share, slots_held, demand FROM nodes
        WHERE heartbeat_at >= ${stamp(now)}::timestamptz - make_interval(secs => ${timeoutSeconds})`,
    })

    /** Dead nodes' leases expire now, for the rescue to return their pages; an hour dead is forgotten. */
    const expireDead = ({ now, timeoutSeconds }: typeof Since.Type) =>
      Effect.gen(function* () {
        const dead = sql`
          SELECT id FROM nodes
          WHERE heartbeat_at < ${stamp(now)}::timestamptz - make_interval(secs => ${timeoutSeconds})`
        const expired = yield* sql`
          UPDATE pages SET lease_expires_at = now() - interval '1 millisecond'
          WHERE page_processing_status = 'Processing' AND lease_owner IN (${dead})
            AND lease_expires_at >= now()
          RETURNING id`
        yield* sql`
          DELETE FROM nodes
          WHERE heartbeat_at < ${stamp(now)}::timestamptz - make_interval(secs => ${timeoutSeconds})
            - interval '1 hour'`
        return expired.length
      })

    /** Halves the shared limit, at most once per `windowSeconds`; true when this call halved it. */
    const halve = (now: Date, windowSeconds: number) =>
      sql`
        UPDATE fleet SET shared_limit = GREATEST(1, shared_limit / 2), halved_at = ${stamp(now)}::timestamptz
        WHERE shared_limit IS NOT NULL AND (halved_at IS NULL
          OR halved_at <= ${stamp(now)}::timestamptz - make_interval(secs => ${windowSeconds}))
        RETURNING shared_limit`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.withSpan("NodesRepo.halve"),
      )

    const raise = (now: Date, windowSeconds: number) =>
      sql`
        UPDATE fleet SET shared_limit = LEAST(account_limit, shared_limit + 1)
        WHERE shared_limit < account_limit AND (halved_at IS NULL
          OR halved_at <= ${stamp(now)}::timestamptz - make_interval(secs => ${windowSeconds}))`.pipe(
        Effect.asVoid,
      )

    /** Node `by` pauses the fleet until `until` (and takes over an equal pause); a longer one stays. */
    const pause = (until: Date, reason: string, by: string) =>
      sql`
        UPDATE fleet SET paused_until = ${stamp(until)}::timestamptz, pause_reason = ${reason}, paused_by = ${by}
        WHERE paused_until IS NULL OR paused_until <= ${stamp(until)}::timestamptz`.pipe(
        Effect.asVoid,
        Effect.withSpan("NodesRepo.pause"),
      )

    /** Ends the fleet's pause if it ends no later than `until` (one known to be over); a longer one stays. */
    const resume = (until: Date) =>
      sql`
        UPDATE fleet SET paused_until = NULL, pause_reason = NULL, paused_by = NULL
        WHERE paused_until <= ${stamp(until)}::timestamptz`.pipe(
        Effect.asVoid,
        Effect.withSpan("NodesRepo.resume"),
      )

    const list = SqlSchema.findAll({
      Request: Since,
      Result: NodeRow,
      execute: ({ now, timeoutSeconds }) => sql`
        SELECT id, host, pid, version, started_at, heartbeat_at, share, slots_held,
          effective_concurrency, in_flight, demand, paused_until, pause_reason,
          heartbeat_at >= ${stamp(now)}::timestamptz - make_interval(secs => ${timeoutSeconds}) AS alive
        FROM nodes ORDER BY started_at, id`,
    })

    return {
      withFleetLock,
      register,
      deregister,
      report,
      fleetRow: fleetRow(undefined),
      setAccountLimit,
      liveNodes,
      expireDead,
      halve,
      raise,
      pause,
      resume,
      list,
    } as const
  }),
}) {}
