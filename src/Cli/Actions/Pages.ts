import { Console, Effect, Layer, Option, Schema } from "effect"
import { CurationStatus, type Page, ProcessingStatus } from "../../Domain/Page.js"
import { type PageListRequest, PagesQuery } from "../../Pages/PagesQuery.js"
import { DatabaseLive } from "../../Sql.js"
import type { PagesOptions } from "../Pages.js"
import { MAX_LIMIT, table } from "../Table.js"

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

export const listPages = ({ status, errors, urlContains, limit, json }: PagesOptions) =>
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
  }).pipe(Effect.provide(PagesQuery.Default.pipe(Layer.provideMerge(DatabaseLive))))
