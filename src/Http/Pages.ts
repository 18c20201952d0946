import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { AppConfig } from "../Config.js"
import { Curation } from "../Pages/Curation.js"
import { PagesQuery } from "../Pages/PagesQuery.js"
import { Pipeline } from "../Processing/Pipeline.js"
import { Api, MAX_INVALID_LISTED } from "./Api.js"
import { FilterRefused, NotFound } from "./Errors.js"

/** Listing, importing and selecting pages; whatever queues pages wakes the worker at once. */
export const PagesLive = HttpApiBuilder.group(Api, "pages", (handlers) =>
  Effect.gen(function* () {
    const curation = yield* Curation
    const pages = yield* PagesQuery
    const pipeline = yield* Pipeline
    const config = yield* AppConfig

    const wakeIfQueued = <A extends { readonly queued: number }>(result: A) =>
      result.queued > 0 ? Effect.as(pipeline.trigger, result) : Effect.succeed(result)

    return handlers
      .handle("list", ({ urlParams }) => pages.list(urlParams))
      .handle("count", ({ urlParams }) =>
        Effect.map(curation.countWhere(urlParams), (matching) => ({
          matching,
          max_filtered_batch_size: config.maxFilteredBatchSize,
          exceeds_limit: matching > config.maxFilteredBatchSize,
        })),
      )
      .handle("get", ({ path }) =>
        pages.get(path.id).pipe(
          Effect.flatMap(
            Option.match({
              onNone: () => Effect.fail(new NotFound({ message: `No page with id ${path.id}` })),
              onSome: Effect.succeed,
            }),
          ),
        ),
      )
      .handle("import", ({ payload }) =>
        curation.importUrls(payload.urls, { select: payload.select }).pipe(
          Effect.map(({ invalid, ...result }) => ({
            ...result,
            invalid: invalid.slice(0, MAX_INVALID_LISTED),
            invalid_count: invalid.length,
          })),
          Effect.flatMap(wakeIfQueued),
        ),
      )
      .handle("setStatus", ({ payload }) =>
        curation.setStatus(payload.page_ids, payload.status).pipe(Effect.flatMap(wakeIfQueued)),
      )
      .handle("setStatusFiltered", ({ payload: { status, all, ...filter } }) =>
        Effect.gen(function* () {
          const empty = Object.values(filter).every((value) => value === undefined || value === "")
          if (empty && !all) {
            return yield* Effect.fail(
              new FilterRefused({
                message: 'The filter is empty; send "all": true to change every page',
              }),
            )
          }
          const change = yield* curation.setStatusWhereAtMost(filter, status, config.maxFilteredBatchSize)
          if (Option.isNone(change)) {
            const matching = yield* curation.countWhere(filter)
            return yield* Effect.fail(
              new FilterRefused({
                message:
                  `The filter matches ${matching} pages; one call may change at most ` +
                  `${config.maxFilteredBatchSize} (WF7_MAX_FILTERED_BATCH_SIZE). Narrow the filter.`,
              }),
            )
          }
          return yield* wakeIfQueued(change.value)
        }),
      )
  }),
)
