import { Command, Options } from "@effect/cli"
import { CurationStatus, ProcessingStatus } from "../Domain/Page.js"
import { limitOption } from "./Table.js"
import { lazyCommand } from "./Lazy.js"

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

const options = { status, errors, urlContains, limit: limitOption("pages"), json }

export type PagesOptions = Command.Command.ParseConfig<typeof options>

export const pagesCommand = lazyCommand("pages", options, (args) =>
  import("./Actions/Pages.js").then((action) => action.listPages(args)),
).pipe(
  Command.withDescription("List pages with their status, attempts, contacts and errors (--json for JSON)."),
)
