import schema from "./00001_schema.js"
import contactsDropped from "./00002_contacts_dropped.js"
import listIndexes from "./00003_list_indexes.js"
import businessName from "./00004_business_name.js"
import credits from "./00005_credits.js"
import nodes from "./00006_nodes.js"
import settings from "./00007_settings.js"

export const migrations = {
  "00001_schema": schema,
  "00002_contacts_dropped": contactsDropped,
  "00003_list_indexes": listIndexes,
  "00004_business_name": businessName,
  "00005_credits": credits,
  "00006_nodes": nodes,
  "00007_settings": settings,
}
