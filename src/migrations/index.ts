import schema from "./00001_schema.js"

export const migrations = {
  "00001_schema": schema,
}
