import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsAreOurs } from "./Rows.js"

/**
 * Credits in SQL: each UTC day's spend (shared by every daemon, for the daily budget) and the domains
 * rendered first because a plain fetch once missed contacts. A SqlError is the caller's to retry.
 */

const Total = Schema.Struct({ credits: Schema.NumberFromString })

export class CreditsRepo extends Effect.Service<CreditsRepo>()("Pages/CreditsRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const chargeRow = SqlSchema.single({
      Request: Schema.Struct({ day: Schema.String, credits: Schema.Number }),
      Result: Total,
      execute: ({ day, credits }) => sql`
        INSERT INTO credits_daily (day, credits) VALUES (${day}::date, ${credits})
        ON CONFLICT (day) DO UPDATE SET credits = credits_daily.credits + excluded.credits
        RETURNING credits::text AS credits`,
    })

    const spentRows = SqlSchema.findAll({
      Request: Schema.String,
      Result: Total,
      execute: (day) => sql`SELECT credits::text AS credits FROM credits_daily WHERE day = ${day}::date`,
    })

    /** Adds `credits` to the day (`YYYY-MM-DD`, UTC); returns the day's total so far. */
    const charge = Effect.fn("CreditsRepo.charge")(function* (day: string, credits: number) {
      return (yield* chargeRow({ day, credits })).credits
    }, rowsAreOurs)

    const spentOn = Effect.fn("CreditsRepo.spentOn")(function* (day: string) {
      const [row] = yield* spentRows(day)
      return row?.credits ?? 0
    }, rowsAreOurs)

    /** The domain's pages are rendered first from now on: a render found what a plain fetch did not. */
    const rememberRender = Effect.fn("CreditsRepo.rememberRender")(function* (domainId: string) {
      yield* sql`UPDATE domains SET render_first = true WHERE id = ${domainId}::uuid AND NOT render_first`
    })

    return { charge, spentOn, rememberRender } as const
  }),
}) {}
