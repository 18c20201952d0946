import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { NodesRepo } from "../../src/Fleet/NodesRepo.js"
import { seedNodes } from "../support/FleetRows.js"
import { apiClient, call, httpTestLayer } from "../support/Http.js"

layer(Layer.provideMerge(NodesRepo.Default, httpTestLayer()), { excludeTestServices: true })(
  "HTTP API: nodes",
  (it) => {
    it.effect("lists the fleet: the shared limit and each node with its share, alive or dead", () =>
      Effect.gen(function* () {
        yield* seedNodes
        const body = yield* Effect.flatMap(apiClient, (api) => api.nodes.list())
        expect(body).toMatchObject({ account_limit: 30, shared_limit: 30, paused_until: null })
        expect(body.nodes).toMatchObject([
          { id: "dead-host:202:bbbb2222", host: "dead-host", pid: 202, share: 18, alive: false },
          {
            id: "alive-host:101:aaaa1111",
            host: "alive-host",
            pid: 101,
            version: "0.1.0",
            share: 12,
            in_flight: 7,
            effective_concurrency: 12,
            alive: true,
          },
        ])
        // The seeded heartbeat is the database's now(), against this process's clock.
        expect(body.nodes[1]?.heartbeat_at.getTime()).toBeGreaterThan(Date.now() - 60_000)
      }),
    )

    it.effect("answers 401 without a token", () =>
      Effect.gen(function* () {
        // Raw: without the token the typed client always sends.
        expect((yield* call("/api/v3/nodes")).status).toBe(401)
      }),
    )
  },
)
