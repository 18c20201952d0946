import { type Array, Schema, type SchemaAST } from "effect"

/** Schemas for what curators send: refusals that name the problem once, in the curator's terms. */

/** Text that ends up in a query: Postgres text cannot hold NUL, so it is refused up front. */
export const QueryText = Schema.String.pipe(
  Schema.filter((text) => !text.includes("\u0000"), { message: () => "must not contain a NUL character" }),
)

/** A closed set of values; a wrong one is told all the choices at once, not one complaint per value. */
export const oneOf = <const Literals extends Array.NonEmptyReadonlyArray<SchemaAST.LiteralValue>>(
  schema: Schema.Literal<Literals>,
) =>
  schema.annotations({
    message: (issue) => ({
      message:
        `Expected one of ${schema.literals.map((value) => JSON.stringify(value)).join(", ")}, ` +
        `actual ${JSON.stringify(issue.actual)}`,
      override: true,
    }),
  })

const EARLIEST = new Date("1970-01-01T00:00:00.000Z")
const LATEST = new Date("9999-12-31T23:59:59.999Z")

/** A date a query can hold: JavaScript dates reach year -271821, Postgres and any contact do not. */
export const QueryDate = Schema.Date.pipe(
  Schema.betweenDate(EARLIEST, LATEST, {
    message: () => "must be a date between 1970-01-01 and 9999-12-31",
  }),
)
