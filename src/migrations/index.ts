import schema from "./00001_schema.js"
import listIndexes from "./00003_list_indexes.js"

export const migrations = {
  "00001_schema": schema,
  "00003_list_indexes": listIndexes,
}
