import schema from "./00001_schema.js"
import contactsDropped from "./00002_contacts_dropped.js"

export const migrations = {
  "00001_schema": schema,
  "00002_contacts_dropped": contactsDropped,
}
