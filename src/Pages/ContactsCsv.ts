import { stringify } from "csv-stringify/sync"
import { Chunk, Stream } from "effect"
import type { Contact } from "../Domain/Contact.js"
import type { Business } from "./ContactsQuery.js"

/** Contacts as CSV (contacts.csv, `wf7 contacts --csv`), streamed as rows come; lists join with "; ". */

type Cell = string | null

// Spreadsheets run a cell starting with these as a formula (CSV injection); a leading `'` makes it text.
const FORMULA_START = /^[=+\-@\t\r]/

const escapeCell = (cell: Cell): Cell => (cell !== null && FORMULA_START.test(cell) ? `'${cell}` : cell)

const encoder = new TextEncoder()

const csvLines = (rows: ReadonlyArray<ReadonlyArray<Cell>>) => encoder.encode(stringify([...rows]))

const toCsv = <Row, E, R>(
  header: ReadonlyArray<string>,
  rows: Stream.Stream<Row, E, R>,
  cells: (row: Row) => ReadonlyArray<Cell>,
): Stream.Stream<Uint8Array, E, R> =>
  Stream.concat(
    Stream.succeed(csvLines([header])),
    rows.pipe(
      Stream.chunks,
      Stream.map((chunk) => csvLines(Chunk.toReadonlyArray(chunk).map((row) => cells(row).map(escapeCell)))),
    ),
  )

const contactColumns = [
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
  "business_name",
  "social_profiles",
] as const satisfies ReadonlyArray<keyof Contact>

const list = (values: ReadonlyArray<string>) => values.join("; ")

export const contactsCsv = <E, R>(contacts: Stream.Stream<Contact, E, R>) =>
  toCsv(contactColumns, contacts, (contact) =>
    contactColumns.map((column) => {
      switch (column) {
        case "created_at":
          return contact.created_at.toISOString()
        case "social_profiles":
          return list(contact.social_profiles)
        default:
          return contact[column]
      }
    }),
  )

const businessColumns = [
  "domain",
  "business_name",
  "emails",
  "phones",
  "social_profiles",
  "page_urls",
] as const satisfies ReadonlyArray<keyof Business>

export const businessesCsv = <E, R>(businesses: Stream.Stream<Business, E, R>) =>
  toCsv(businessColumns, businesses, (business) =>
    businessColumns.map((column) => {
      const value = business[column]
      return typeof value === "string" || value === null ? value : list(value)
    }),
  )
