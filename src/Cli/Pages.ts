import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option, Schema } from "effect"
import { CurationStatus, ProcessingStatus } from "../Domain/Page.js"
import { type Page, type PageListRequest, PagesQuery } from "../Pages/PagesQuery.js"
import { DatabaseLive } from "../Sql.js"
import { limitOption, MAX_LIMIT, table } from "./Table.js"

/**
 * `wf7 pages [--status S] [--errors] [--url-contains TEXT] [--limit N] [--json]`: the pages and what
 * became of them, as a table (or the API's JSON), through the same query as GET /api/v3/pages.
 */

const status = Options.choice("status", [...CurationStatus.literals, ...ProcessingStatus.literals]).pipe(
  Options.withDescription("a curation status (New, Selected …) or a processing status (Queued, Error …)"),
  Options.optional,
)
const errors = Options.boolean("errors").pipe(
  Options.withDescription("only pages that failed, with their error"),
)
const urlContains = Options.text("url-contains").pipe(
  Options.withDescription("only URLs containing this text (any case)"),
  Options.optional,
)
const json = Options.boolean("json").pipe(Options.withDescription('print {"items", "total"} as JSON'))

const isCuration = Schema.is(CurationStatus)

type StatusFilter = Pick<PageListRequest, "page_curation_status" | "page_processing_status">

const statusFilter = (
  chosen: Option.Option<CurationStatus | ProcessingStatus>,
  errors: boolean,
): StatusFilter => {
  if (errors) return { page_processing_status: "Error" }
  if (Option.isNone(chosen)) return {}
  return isCuration(chosen.value)
    ? { page_curation_status: chosen.value }
    : { page_processing_status: chosen.value }
}

const minute = (date: Date | null) =>
  date === null ? "" : `${date.toISOString().slice(0, 16).replace("T", " ")}Z`

const pagesTable = (pages: ReadonlyArray<Page>, withErrors: boolean) =>
  table(
    pages.map((page) => [
      page.url,
      page.page_curation_status,
      page.page_processing_status ?? "",
      page.processing_attempts,
      page.contact_count ?? "",
      minute(page.processed_at),
      ...(withErrors ? [page.page_processing_error ?? ""] : []),
    ]),
    ["url", "curation", "processing", "attempts", "contacts", "processed", ...(withErrors ? ["error"] : [])],
  )

export const pagesCommand = Command.make(
  "pages",
  { status, errors, urlContains, limit: limitOption("pages"), json },
  ({ status, errors, urlContains, limit, json }) =>
    Effect.gen(function* () {
      const filter = {
        ...statusFilter(status, errors),
        ...Option.match(urlContains, { onNone: () => ({}), onSome: (text) => ({ url_contains: text }) }),
      }
      const { items, total } = yield* (yield* PagesQuery).list({ ...filter, limit, offset: 0 })
      if (json) return yield* Console.log(JSON.stringify({ items, total }))
      if (items.length > 0) yield* Console.log(pagesTable(items, errors))
      yield* Console.log(
        items.length < total
          ? `${items.length} of ${total} pages shown; --limit shows up to ${MAX_LIMIT}`
          : `${total} pages`,
      )
    }),
).pipe(
  Command.withDescription("List pages with their status, attempts, contacts and errors (--json for JSON)."),
  Command.provide(PagesQuery.Default.pipe(Layer.provideMerge(DatabaseLive))),
)
