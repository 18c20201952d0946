import { Schema } from "effect"

/** Text a curator sends that ends up in a query: Postgres text cannot hold NUL, so it is refused up front. */
export const QueryText = Schema.String.pipe(
  Schema.filter((text) => !text.includes("\u0000"), { message: () => "must not contain a NUL character" }),
)
