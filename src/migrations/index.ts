import schema from "./00001_schema.js"
import contactsDropped from "./00002_contacts_dropped.js"
import businessName from "./00004_business_name.js"

export const migrations = {
  "00001_schema": schema,
  "00002_contacts_dropped": contactsDropped,
  "00004_business_name": businessName,
}
