import { Options } from "@effect/cli"
import { Schema } from "effect"

export const table = (
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  header?: ReadonlyArray<string>,
) => {
  const columns = (header ?? rows[0] ?? []).map((_, column) => column)
  const cells = [...(header === undefined ? [] : [header]), ...rows].map((row) => row.map(String))
  const widths = columns.map((column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)))
  const right = columns.map(
    (column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number"),
  )
  return cells
    .map((row) => row.map((cell, column) => cell[right[column] ? "padStart" : "padEnd"](widths[column] ?? 0)))
    .map((row) => `  ${row.join("  ")}`.trimEnd())
    .join("\n")
}

/** Rows one table shows at most, as the API's `limit`. */
export const MAX_LIMIT = 1000

export const limitOption = (noun: string) =>
  Options.integer("limit").pipe(
    Options.withSchema(Schema.Int.pipe(Schema.between(1, MAX_LIMIT))),
    Options.withDefault(100),
    Options.withDescription(`at most this many ${noun} (1 to ${MAX_LIMIT})`),
  )
