import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { stringify } from "csv-stringify/sync"
import { Chunk, Effect, Stream } from "effect"
import { type Contact, ContactsQuery } from "../Pages/ContactsQuery.js"
import { Api } from "./Api.js"

/** Contacts as JSON pages, or all matching contacts as one CSV streamed row batch by row batch. */

const columns = [
  "id",
  "page_id",
  "page_url",
  "domain",
  "email",
  "phone",
  "email_type",
  "phone_type",
  "source",
  "created_at",
] as const satisfies ReadonlyArray<keyof Contact>

const encoder = new TextEncoder()

const toCsv = (rows: Chunk.Chunk<Contact>) =>
  encoder.encode(
    stringify(
      Chunk.toReadonlyArray(rows).map((row) => ({ ...row, created_at: row.created_at.toISOString() })),
      { columns: [...columns] },
    ),
  )

export const ContactsLive = HttpApiBuilder.group(Api, "contacts", (handlers) =>
  Effect.gen(function* () {
    const contacts = yield* ContactsQuery
    return handlers
      .handle("list", ({ urlParams }) => contacts.list(urlParams))
      .handle("csv", ({ urlParams }) =>
        Effect.succeed(
          HttpServerResponse.stream(
            Stream.concat(
              Stream.succeed(encoder.encode(stringify([[...columns]]))),
              contacts.stream(urlParams).pipe(Stream.chunks, Stream.map(toCsv)),
            ),
            {
              contentType: "text/csv; charset=utf-8",
              headers: { "content-disposition": 'attachment; filename="contacts.csv"' },
            },
          ),
        ),
      )
  }),
)
