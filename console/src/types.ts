import type {
  ImportResult as ImportResultSchema,
  MatchingCount as MatchingCountSchema,
  StatusChange as StatusChangeSchema,
} from "../../src/Http/Api.js"
import type { Stats as StatsSchema } from "../../src/Http/StatsReport.js"
import type { Contact as ContactSchema } from "../../src/Domain/Contact.js"
import type { SettingsHistoryEntry, SettingsView } from "../../src/Settings/Settings.js"
import type { Page as PageSchema } from "../../src/Domain/Page.js"
import type { PageDetail as PageDetailSchema } from "../../src/Pages/PagesQuery.js"

/** What the API sends, as JSON: the encoded side of the schemas the server answers with. */
export type ImportResult = typeof ImportResultSchema.Encoded
export type Stats = typeof StatsSchema.Encoded
export type MatchingCount = typeof MatchingCountSchema.Encoded
export type StatusChange = typeof StatusChangeSchema.Encoded
export type Contact = typeof ContactSchema.Encoded
export type Page = typeof PageSchema.Encoded
export type PageDetail = typeof PageDetailSchema.Encoded
export interface List<A> {
  readonly items: ReadonlyArray<A>
  readonly total: number
}
export type Settings = typeof SettingsView.Encoded
export type SettingsChange = typeof SettingsHistoryEntry.Encoded
