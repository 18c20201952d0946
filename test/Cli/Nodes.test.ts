import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { NodesRepo } from "../../src/Fleet/NodesRepo.js"
import { runOnTestDatabase } from "../support/Cli.js"
import { seedNodes } from "../support/FleetRows.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/** `wf7 nodes` as a real process over a fleet of two: one alive, one silent for 10 minutes. */

const world = Layer.effectDiscard(seedNodes).pipe(
  Layer.provideMerge(NodesRepo.Default),
  Layer.provideMerge(TestDatabaseLive),
)

it.layer(world, { timeout: 120_000 })("wf7 nodes", (it) => {
  it.effect("shows each node's share, pages in flight, concurrency and heartbeat, alive or dead", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runOnTestDatabase(["nodes"])
      expect(code).toBe(0)
      const lines = stdout.trimEnd().split("\n")
      expect(lines[0]).toMatch(
        /^\s+node\s+host\s+pid\s+version\s+share\s+in flight\s+concurrency\s+heartbeat\s+state$/,
      )
      expect(lines[1]).toMatch(
        /dead-host:202:bbbb2222\s+dead-host\s+202\s+0\.1\.0\s+18\s+7\s+12\s+6\d\ds ago\s+dead$/,
      )
      expect(lines[2]).toMatch(
        /alive-host:101:aaaa1111\s+alive-host\s+101\s+0\.1\.0\s+12\s+7\s+12\s+\ds ago\s+alive$/,
      )
      expect(lines[3]).toBe("2 nodes, 1 alive; account limit 30, now 30")
    }),
  )

  it.effect("--json prints the fleet and its nodes", () =>
    Effect.gen(function* () {
      const { code, stdout } = yield* runOnTestDatabase(["nodes", "--json"])
      expect(code).toBe(0)
      const listing = JSON.parse(stdout)
      expect(listing.fleet).toMatchObject({ account_limit: 30, shared_limit: 30 })
      expect(listing.nodes.map((node: { id: string; alive: boolean }) => [node.id, node.alive])).toEqual([
        ["dead-host:202:bbbb2222", false],
        ["alive-host:101:aaaa1111", true],
      ])
    }),
  )
})
