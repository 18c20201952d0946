import { Chunk, Console, Data, Effect, Layer, Option, Stream } from "effect"
import type { Contact } from "../../Domain/Contact.js"
import { businessesCsv, contactsCsv } from "../../Pages/ContactsCsv.js"
import { type Business, ContactsQuery } from "../../Pages/ContactsQuery.js"
import { DatabaseLive } from "../../Sql.js"
import { EX_USAGE, ExitCode } from "../Errors.js"
import type { ContactsOptions } from "../Contacts.js"
import { MAX_LIMIT, table } from "../Table.js"

/** Standard output was closed by its reader (`| head`): the export stops there, quietly. */
class StdoutClosed extends Data.TaggedError("StdoutClosed") {}

const write = (bytes: Uint8Array) =>
  Effect.async<void, StdoutClosed>((resume) => {
    process.stdout.write(bytes, (error) => resume(error ? Effect.fail(new StdoutClosed()) : Effect.void))
  })

const encoder = new TextEncoder()

const jsonLines = <A>(rows: Stream.Stream<A>) =>
  rows.pipe(
    Stream.chunks,
    Stream.map((chunk) =>
      encoder.encode(
        Chunk.toReadonlyArray(chunk)
          .map((row) => `${JSON.stringify(row)}\n`)
          .join(""),
      ),
    ),
  )

// A closed stdout also emits 'error', which unheard would crash the process; `write` already ends the export.
const expectClosedStdout = Effect.sync(() => process.stdout.on("error", () => undefined))

/** Every byte to stdout as it comes; a failure part-way says so and exits 1, never looks complete. */
const exportAll = (bytes: Stream.Stream<Uint8Array>) =>
  expectClosedStdout.pipe(
    Effect.zipRight(Stream.runForEach(bytes, write)),
    Effect.catchTag("StdoutClosed", () => Effect.void),
    Effect.catchAllDefect((defect) =>
      Console.error(
        `wf7: the export stopped part-way and its output is incomplete: ${defect instanceof Error ? defect.message : String(defect)}`,
      ).pipe(Effect.zipRight(new ExitCode({ code: 1 }))),
    ),
  )

const contactsTable = (contacts: ReadonlyArray<Contact>) =>
  table(
    contacts.map((contact) => [
      contact.domain,
      contact.email ?? contact.phone ?? "",
      contact.email_type ?? contact.phone_type ?? "",
      contact.source,
      contact.business_name ?? "",
    ]),
    ["domain", "contact", "type", "source", "business"],
  )

const businessesTable = (businesses: ReadonlyArray<Business>) =>
  table(
    businesses.map((business) => [
      business.domain,
      business.business_name ?? "",
      business.emails.join(" "),
      business.phones.join(" "),
      business.social_profiles.length,
    ]),
    ["domain", "business", "emails", "phones", "profiles"],
  )

export const showContacts = ({ csv, json, domain, group, limit }: ContactsOptions) =>
  Effect.gen(function* () {
    if (csv && json) {
      yield* Console.error("wf7 contacts: choose one of --csv and --json")
      return yield* new ExitCode({ code: EX_USAGE })
    }
    const contacts = yield* ContactsQuery
    const filter = Option.match(domain, { onNone: () => ({}), onSome: (name) => ({ domain: name }) })
    const byDomain = Option.isSome(group)
    if (csv) {
      return yield* exportAll(
        byDomain ? businessesCsv(contacts.businesses(filter)) : contactsCsv(contacts.stream(filter)),
      )
    }
    if (json) {
      return yield* exportAll(
        byDomain ? jsonLines(contacts.businesses(filter)) : jsonLines(contacts.stream(filter)),
      )
    }
    if (byDomain) {
      const businesses = yield* Stream.runCollect(Stream.take(contacts.businesses(filter), limit + 1))
      const shown = Chunk.toReadonlyArray(Chunk.take(businesses, limit))
      if (shown.length > 0) yield* Console.log(businessesTable(shown))
      return yield* Console.log(
        businesses.length > limit
          ? `first ${limit} businesses shown; --limit shows up to ${MAX_LIMIT}, --csv exports all`
          : `${shown.length} businesses`,
      )
    }
    const { items, total } = yield* contacts.list({ ...filter, limit, offset: 0 })
    if (items.length > 0) yield* Console.log(contactsTable(items))
    yield* Console.log(
      items.length < total
        ? `${items.length} of ${total} contacts shown; --limit shows up to ${MAX_LIMIT}, --csv exports all`
        : `${total} contacts`,
    )
  }).pipe(Effect.provide(ContactsQuery.Default.pipe(Layer.provideMerge(DatabaseLive))))
