import { Command, Options } from "@effect/cli"
import { limitOption } from "./Table.js"
import { lazyCommand } from "./Lazy.js"

/**
 * `wf7 contacts [--csv|--json] [--domain D] [--group domain]`: a table of the first contacts, or every
 * match (or business) exported as the API's CSV or JSON lines, through the query of GET /contacts.csv.
 */

const csv = Options.boolean("csv").pipe(
  Options.withDescription("export every match as CSV (as contacts.csv)"),
)
const json = Options.boolean("json").pipe(Options.withDescription("export every match as JSON, one per line"))
const domain = Options.text("domain").pipe(
  Options.withDescription("only this domain's contacts"),
  Options.optional,
)
const group = Options.choice("group", ["domain"]).pipe(
  Options.withDescription("domain: one row per business, with all its emails, phones and profiles"),
  Options.optional,
)

const options = { csv, json, domain, group, limit: limitOption("rows of the table") }

export type ContactsOptions = Command.Command.ParseConfig<typeof options>

export const contactsCommand = lazyCommand("contacts", options, (args) =>
  import("./Actions/Contacts.js").then((action) => action.showContacts(args)),
).pipe(Command.withDescription("Show contacts as a table, or export them (--csv, --json, --group domain)."))
