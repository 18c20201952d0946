import { SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"

/**
 * Rows of our own tables decoded through their schemas (`SqlSchema`): a row its schema refuses (a bug, a
 * hand edit) or a missing aggregate row is a defect whose message names the column, not a caller's case.
 */
export const rowsAreOurs = <A, E, R>(query: Effect.Effect<A, E, R>) =>
  query.pipe(Effect.catchTags({ ParseError: Effect.die, NoSuchElementException: Effect.die }))

type Statement<E, R> = Effect.Effect<ReadonlyArray<unknown>, E, R>

// For statements built per call (filter fragments, `unnest` arrays): no Request schema describes them.
export const decodeRows = <A, I, RA, E, R>(Result: Schema.Schema<A, I, RA>, statement: Statement<E, R>) =>
  SqlSchema.findAll({ Request: Schema.Void, Result, execute: () => statement })(undefined).pipe(rowsAreOurs)

export const decodeRow = <A, I, RA, E, R>(Result: Schema.Schema<A, I, RA>, statement: Statement<E, R>) =>
  SqlSchema.single({ Request: Schema.Void, Result, execute: () => statement })(undefined).pipe(rowsAreOurs)

const Total = Schema.Struct({ total: Schema.NonNegativeInt })

/** One page of a list (`items`) and how many rows match in all (`count`), read side by side. */
export const listWithTotal = <A, I, RA, E, R>(
  Item: Schema.Schema<A, I, RA>,
  items: Statement<E, R>,
  count: Statement<E, R>,
) =>
  Effect.all([decodeRows(Item, items), decodeRow(Total, count)], { concurrency: 2 }).pipe(
    Effect.map(([items, { total }]) => ({ items, total })),
  )
