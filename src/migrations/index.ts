import schema from "./00001_schema.js"
import businessName from "./00004_business_name.js"

export const migrations = {
  "00001_schema": schema,
  "00004_business_name": businessName,
}
