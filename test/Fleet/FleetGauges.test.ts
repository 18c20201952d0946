import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Metric } from "effect"
import { FleetGaugesLive } from "../../src/Fleet/FleetView.js"
import { NodesRepo } from "../../src/Fleet/NodesRepo.js"
import * as Metrics from "../../src/Observability/Metrics.js"
import { sampleFleet } from "../../src/Observability/Sampler.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { fresh, join } from "../support/FleetNodes.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

const gauge = (metric: Metric.Metric.Gauge<number>) =>
  Effect.map(Metric.value(metric), (state) => state.value)

layer(Layer.mergeAll(PagesRepo.Default, NodesRepo.Default).pipe(Layer.provideMerge(TestDatabaseLive)))(
  "the fleet-wide gauges",
  (it) => {
    it.scoped("count the live nodes and what they report, not a node that stopped heartbeating", () =>
      Effect.gen(function* () {
        yield* fresh
        yield* join(10)
        yield* join(5)
        const sql = yield* SqlClient.SqlClient
        // An hour before the nodes' heartbeats, which the TestClock stamps at time 0.
        yield* sql`
          INSERT INTO nodes (id, host, pid, version, started_at, heartbeat_at, in_flight, effective_concurrency)
          VALUES ('dead', 'gone', 1, '0', to_timestamp(0) - interval '1 hour', to_timestamp(0) - interval '1 hour', 99, 99)`
        const [live] = yield* sql<{ inFlight: number; concurrency: number }>`
          SELECT sum(in_flight)::int AS "inFlight", sum(effective_concurrency)::int AS concurrency
          FROM nodes WHERE id <> 'dead'`
        yield* sampleFleet.pipe(Effect.provide(FleetGaugesLive))
        expect(yield* gauge(Metrics.fleetNodes)).toBe(2)
        expect(yield* gauge(Metrics.fleetInFlight)).toBe(15)
        expect(yield* gauge(Metrics.fleetInFlight)).toBe(live?.inFlight)
        expect(yield* gauge(Metrics.fleetConcurrency)).toBe(live?.concurrency)
      }),
    )
  },
)
