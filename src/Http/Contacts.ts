import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Stream } from "effect"
import { businessesCsv, contactsCsv } from "../Pages/ContactsCsv.js"
import { ContactsQuery } from "../Pages/ContactsQuery.js"
import { Api } from "./Api.js"

/** Contacts as JSON pages, or all matching contacts (or businesses) as one streamed CSV. */

// Headers went out with the first row: a later failure cuts the connection, so a truncated export shows.
const abortOnFailure = <E>(body: Stream.Stream<Uint8Array, E>) =>
  Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
    body.pipe(
      Stream.catchAllCause((cause) =>
        Stream.fromEffect(
          Effect.logError("CSV export failed mid-stream; the response is aborted", cause).pipe(
            Effect.annotateLogs({ service: "Http" }),
            Effect.zipRight(Effect.sync(() => NodeHttpServerRequest.toServerResponse(request).destroy())),
            Effect.zipRight(Effect.failCause(cause)),
          ),
        ),
      ),
    ),
  )

const csvResponse = <E>(body: Stream.Stream<Uint8Array, E>) =>
  Effect.map(abortOnFailure(body), (stream) =>
    HttpServerResponse.stream(stream, {
      contentType: "text/csv; charset=utf-8",
      headers: { "content-disposition": 'attachment; filename="contacts.csv"' },
    }),
  )

export const ContactsLive = HttpApiBuilder.group(Api, "contacts", (handlers) =>
  Effect.gen(function* () {
    const contacts = yield* ContactsQuery
    return handlers
      .handle("list", ({ urlParams }) => contacts.list(urlParams))
      .handle("csv", ({ urlParams: { group, ...filter } }) =>
        csvResponse(
          group === "domain"
            ? businessesCsv(contacts.businesses(filter))
            : contactsCsv(contacts.stream(filter)),
        ),
      )
  }),
)
