import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { PagesQuery } from "../../src/Pages/PagesQuery.js"
import { PagesStats } from "../../src/Pages/PagesStats.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

const layer = Layer.mergeAll(Curation.Default, PagesQuery.Default, PagesStats.Default).pipe(
  Layer.provideMerge(TestDatabaseLive),
)

/** Why `effect` died: the defect's message, which the daemon's log line carries. */
const defectOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    return Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
  })

it.layer(layer)("rows the database hands back in a shape this build does not know", (it) => {
  // A newer build's migration may add a status while this one still runs beside it on the database.
  it.effect("a processing status this build does not know is refused, named, not counted under it", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* (yield* Curation).importUrls(["https://newer.example/contact"], { select: true })
      yield* sql`ALTER TYPE page_processing_status ADD VALUE IF NOT EXISTS 'Paused'`
      yield* sql`UPDATE pages SET page_processing_status = 'Paused'`

      const stats = yield* defectOf((yield* PagesStats).get())
      expect(stats).toContain('actual "Paused"')
      const list = yield* defectOf((yield* PagesQuery).list({ limit: 10, offset: 0 }))
      expect(list).toContain("page_processing_status")
      expect(list).toContain('actual "Paused"')
    }),
  )
})
