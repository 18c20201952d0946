import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { oneOf } from "../Domain/Input.js"
import { Contact } from "../Domain/Contact.js"
import { CurationStatus, Page, PageId } from "../Domain/Page.js"
import { ContactFilterFields } from "../Pages/ContactsQuery.js"
import { PageDetail, PageFilterFields, PageSortFields } from "../Pages/PagesQuery.js"
import { SettingsChange, SettingsHistoryEntry, SettingsView } from "../Settings/Settings.js"
import { Authorization, StreamAuthorization } from "./Auth.js"
import { Stats } from "./StatsReport.js"
import {
  FilterRefused,
  InternalError,
  InvalidRequest,
  NotFound,
  NotReady,
  PayloadTooLarge,
  TooManyRequests,
} from "./Errors.js"

/** The curator API (SPEC §5.3), from which the server, request validation and /docs are derived. */

const Count = Schema.Int.pipe(Schema.nonNegative())

const Paging = {
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000)), {
    default: () => 100,
    exact: true,
  }),
  offset: Schema.optionalWith(
    Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, Number.MAX_SAFE_INTEGER)),
    { default: () => 0, exact: true },
  ),
}

const listOf = <A, I, R>(item: Schema.Schema<A, I, R>, identifier: string) =>
  Schema.Struct({ items: Schema.Array(item), total: Count }).annotations({ identifier })

export const StatusChange = Schema.Struct({ updated: Count, queued: Count }).annotations({
  identifier: "StatusChange",
  description: "How many pages changed, and how many of them are now queued for processing",
})

/** URLs one import may carry: a bigger list is split by the client, not held whole here. */
const MAX_IMPORT_URLS = 10000
export const MAX_INVALID_LISTED = 100

const ImportRequest = Schema.Struct({
  urls: Schema.Array(Schema.String).pipe(Schema.minItems(1), Schema.maxItems(MAX_IMPORT_URLS)),
  select: Schema.optionalWith(Schema.Boolean, { default: () => false, exact: true }),
}).annotations({ identifier: "ImportRequest" })

export const ImportResult = Schema.Struct({
  created: Count,
  existing: Count,
  invalid: Schema.Array(
    Schema.Struct({ index: Count, url: Schema.String, reason: Schema.String }),
  ).annotations({
    description: `The first ${MAX_INVALID_LISTED} invalid URLs, with their index in the request`,
  }),
  invalid_count: Count,
  queued: Count,
}).annotations({ identifier: "ImportResult" })

const StatusRequest = Schema.Struct({
  page_ids: Schema.Array(PageId).pipe(Schema.minItems(1), Schema.maxItems(10000)),
  status: oneOf(CurationStatus),
}).annotations({ identifier: "StatusRequest" })

export const MatchingCount = Schema.Struct({
  matching: Count,
  max_filtered_batch_size: Count,
  exceeds_limit: Schema.Boolean,
}).annotations({
  identifier: "MatchingCount",
  description:
    "How many pages match the filter, before a filtered status change: one change may touch at most WF7_MAX_FILTERED_BATCH_SIZE",
})

const FilteredStatusRequest = Schema.Struct({
  status: oneOf(CurationStatus),
  ...PageFilterFields,
  all: Schema.optionalWith(Schema.Boolean, { default: () => false, exact: true }),
}).annotations({
  identifier: "FilteredStatusRequest",
  description: 'Sets the status of every page matching the filter; an empty filter needs "all": true',
})

export const MAX_STATS_STREAMS = 20

const FleetNode = Schema.Struct({
  id: Schema.String,
  host: Schema.String,
  pid: Count,
  version: Schema.String,
  alive: Schema.Boolean,
  share: Schema.NullOr(Count).annotations({
    description: "slots of the account-wide limit; null without one",
  }),
  in_flight: Count.annotations({ description: "pages claimed and not finished" }),
  slots_held: Count,
  effective_concurrency: Count,
  demand: Count,
  started_at: Schema.Date,
  heartbeat_at: Schema.Date,
  paused_until: Schema.NullOr(Schema.Date),
  pause_reason: Schema.NullOr(Schema.String),
}).annotations({ identifier: "FleetNode" })

export const FleetNodes = Schema.Struct({
  account_limit: Schema.NullOr(Count),
  shared_limit: Schema.NullOr(Count).annotations({ description: "the account limit after 429s (AIMD)" }),
  paused_until: Schema.NullOr(Schema.Date),
  pause_reason: Schema.NullOr(Schema.String),
  nodes: Schema.Array(FleetNode),
}).annotations({ identifier: "FleetNodes" })

const curator = <Id extends string, Endpoints extends HttpApiEndpoint.HttpApiEndpoint.Any, E, R>(
  group: HttpApiGroup.HttpApiGroup<Id, Endpoints, E, R>,
) => group.middleware(Authorization).prefix("/api/v3")

class PagesGroup extends curator(
  HttpApiGroup.make("pages")
    .add(
      HttpApiEndpoint.get("list", "/pages")
        .setUrlParams(Schema.Struct({ ...PageFilterFields, ...PageSortFields, ...Paging }))
        .addSuccess(listOf(Page, "PageList")),
    )
    .add(
      HttpApiEndpoint.get("count", "/pages/count")
        .setUrlParams(Schema.Struct(PageFilterFields))
        .addSuccess(MatchingCount),
    )
    .add(
      HttpApiEndpoint.get("get", "/pages/:id")
        .setPath(Schema.Struct({ id: PageId }))
        .addSuccess(PageDetail)
        .addError(NotFound),
    )
    .add(HttpApiEndpoint.post("import", "/pages").setPayload(ImportRequest).addSuccess(ImportResult))
    .add(HttpApiEndpoint.put("setStatus", "/pages/status").setPayload(StatusRequest).addSuccess(StatusChange))
    .add(
      HttpApiEndpoint.put("setStatusFiltered", "/pages/status/filtered")
        .setPayload(FilteredStatusRequest)
        .addSuccess(StatusChange)
        .addError(FilterRefused),
    ),
) {}

class ContactsGroup extends curator(
  HttpApiGroup.make("contacts")
    .add(
      HttpApiEndpoint.get("list", "/contacts")
        .setUrlParams(Schema.Struct({ ...ContactFilterFields, ...Paging }))
        .addSuccess(listOf(Contact, "ContactList")),
    )
    .add(
      HttpApiEndpoint.get("csv", "/contacts.csv")
        .setUrlParams(
          Schema.Struct({
            ...ContactFilterFields,
            group: Schema.optionalWith(oneOf(Schema.Literal("domain")), { exact: true }).annotations({
              description: "domain: one row per business, with all its emails, phones and profiles",
            }),
          }),
        )
        .addSuccess(HttpApiSchema.Text({ contentType: "text/csv" })),
    ),
) {}

class StatsGroup extends curator(
  HttpApiGroup.make("stats").add(HttpApiEndpoint.get("get", "/stats").addSuccess(Stats)),
) {}

class StatsStreamGroup extends HttpApiGroup.make("statsStream")
  .add(
    HttpApiEndpoint.get("stream", "/stats/stream")
      .setUrlParams(
        Schema.Struct({
          interval: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 60)), {
            default: () => 2,
            exact: true,
          }).annotations({ description: "Seconds between two `stats` events (1–60)" }),
        }),
      )
      .addSuccess(HttpApiSchema.Text({ contentType: "text/event-stream" }))
      .addError(TooManyRequests),
  )
  .annotate(
    OpenApi.Description,
    `Server-sent events: a \`stats\` event (the JSON of GET /stats) every interval, a comment every 15 s to keep proxies open; at most ${MAX_STATS_STREAMS} streams at once. EventSource clients may pass the token as ?access_token=`,
  )
  .middleware(StreamAuthorization)
  .prefix("/api/v3") {}

class NodesGroup extends curator(
  HttpApiGroup.make("nodes").add(HttpApiEndpoint.get("list", "/nodes").addSuccess(FleetNodes)),
) {}

class SchedulerGroup extends curator(
  HttpApiGroup.make("scheduler").add(
    HttpApiEndpoint.post("trigger", "/scheduler/trigger").addSuccess(
      Schema.Struct({ triggered: Schema.Boolean }),
      { status: 202 },
    ),
  ),
) {}

class SettingsGroup extends curator(
  HttpApiGroup.make("settings")
    .add(HttpApiEndpoint.get("get", "/settings").addSuccess(SettingsView))
    .add(HttpApiEndpoint.put("update", "/settings").setPayload(SettingsChange).addSuccess(SettingsView))
    .add(
      HttpApiEndpoint.get("history", "/settings/history")
        .setUrlParams(Schema.Struct({ limit: Paging.limit }))
        .addSuccess(Schema.Struct({ items: Schema.Array(SettingsHistoryEntry) })),
    )
    .annotate(
      OpenApi.Description,
      "Rollout settings applied by every node at its next batch; the environment gives their values at first start only",
    ),
) {}

class HealthGroup extends HttpApiGroup.make("health")
  .add(HttpApiEndpoint.get("healthz", "/healthz").addSuccess(Schema.Struct({ status: Schema.Literal("ok") })))
  .add(
    HttpApiEndpoint.get("readyz", "/readyz")
      .addSuccess(Schema.Struct({ status: Schema.Literal("ready"), migrations: Count }))
      .addError(NotReady),
  ) {}

export class Api extends HttpApi.make("wf7")
  .add(HealthGroup)
  .add(PagesGroup)
  .add(ContactsGroup)
  .add(StatsGroup)
  .add(StatsStreamGroup)
  .add(SchedulerGroup)
  .add(SettingsGroup)
  .add(NodesGroup)
  .addError(InvalidRequest)
  .addError(NotFound)
  .addError(PayloadTooLarge)
  .addError(InternalError)
  .annotate(OpenApi.Title, "WF7 curator API")
  .annotate(OpenApi.Version, "3") {}
