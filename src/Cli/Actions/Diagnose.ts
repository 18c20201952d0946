import type { SqlError } from "@effect/sql/SqlError"
import { Console, Effect, Layer, Option } from "effect"
import {
  CONNECTION_WARNING_SHARE,
  Diagnostics,
  type Baseline,
  type Connections,
  type Stuck,
} from "../../Pages/Diagnostics.js"
import type { CreditStats } from "../../Pages/CreditStats.js"
import type { Hour } from "../../Pages/PagesStats.js"
import { SqlLive } from "../../Sql.js"
import { type DiagnoseOptions, sections } from "../Diagnose.js"
import { table } from "../Table.js"

type Section = (typeof sections)[number]

const minute = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")}Z`
const percent = (share: number) => `${(share * 100).toFixed(1)}%`

const baselineText = (baseline: Baseline) =>
  [
    "Baseline",
    table([
      ["total contacts", baseline.totalContacts],
      ["latest contact", baseline.latestContact === null ? "none" : minute(baseline.latestContact)],
      ["queued pages", baseline.queuedPages],
    ]),
    "",
    table(
      baseline.pagesByStatus.map((row) => [row.status, row.pages]),
      ["processing status", "pages"],
    ),
  ].join("\n")

const connectionsText = (connections: Connections) => {
  const usage = `${connections.total} of ${connections.maxConnections} max_connections in use (${percent(connections.share)})`
  return [
    "Connections (client backends of the whole server)",
    table(
      connections.byState.map((row) => [row.state, row.connections, row.thisDatabase, row.wf7]),
      ["state", "connections", "this database", "wf7"],
    ),
    `  ${usage}`,
    ...(connections.warning
      ? [
          `WARNING: ${usage}, above ${percent(CONNECTION_WARNING_SHARE)}: lower WF7_DB_POOL_SIZE, ` +
            "run fewer daemons, or roll back WF7_CONCURRENT_ROLLOUT_PERCENT",
        ]
      : []),
  ].join("\n")
}

const throughputText = (hours: ReadonlyArray<Hour>) => {
  const sum = (pick: (hour: Hour) => number) => hours.reduce((total, hour) => total + pick(hour), 0)
  return [
    "Throughput per hour, last 24 hours",
    table(
      [
        ...hours.map((hour) => [minute(hour.hour), hour.contacts, hour.complete, hour.error]),
        ["total", sum((hour) => hour.contacts), sum((hour) => hour.complete), sum((hour) => hour.error)],
      ],
      ["hour", "contacts", "complete", "error"],
    ),
  ].join("\n")
}

const stuckText = (stuck: Stuck) =>
  [
    `Stuck pages (Processing past their lease): ${stuck.count}`,
    ...(stuck.count === 0
      ? []
      : [
          table(
            stuck.pages.map((page) => [
              page.id,
              page.url,
              page.owner ?? "",
              page.overdueSeconds ?? 0,
              page.attempts,
            ]),
            ["page", "url", "lease owner", "overdue (s)", "attempts"],
          ),
          "  A running daemon returns them to the queue (or to Error once their attempts are spent).",
        ]),
  ].join("\n")

const creditsText = (credits: CreditStats) => {
  const row = (label: string, window: CreditStats["last_hour"]) => [
    label,
    window.credits,
    window.pages,
    window.contacts,
    window.per_page ?? "-",
    window.per_contact ?? "-",
  ]
  return [
    `ScraperAPI credits (pages finished in the window); spent today (UTC): ${credits.today}`,
    table(
      [row("last hour", credits.last_hour), row("last 24 hours", credits.last_24h)],
      ["window", "credits", "pages", "contacts", "per page", "per contact"],
    ),
  ].join("\n")
}

interface Part {
  readonly value: unknown
  readonly text: string
}

const report = (diagnostics: Diagnostics, name: Section): Effect.Effect<Part, SqlError> => {
  switch (name) {
    case "baseline":
      return Effect.map(diagnostics.baseline, (value) => ({ value, text: baselineText(value) }))
    case "connections":
      return Effect.map(diagnostics.connections, (value) => ({ value, text: connectionsText(value) }))
    case "throughput":
      return Effect.map(diagnostics.throughput, (value) => ({ value, text: throughputText(value) }))
    case "stuck":
      return Effect.map(diagnostics.stuck, (value) => ({ value, text: stuckText(value) }))
    case "credits":
      return Effect.map(diagnostics.credits, (value) => ({ value, text: creditsText(value) }))
  }
}

export const diagnose = ({ section, json }: DiagnoseOptions) =>
  Effect.gen(function* () {
    const diagnostics = yield* Diagnostics
    const wanted = Option.match(section, { onNone: () => sections, onSome: (name) => [name] })
    const parts = yield* Effect.forEach(wanted, (name) =>
      Effect.map(report(diagnostics, name), (part) => [name, part] as const),
    )
    yield* Console.log(
      json
        ? JSON.stringify(Object.fromEntries(parts.map(([name, part]) => [name, part.value])))
        : parts.map(([, part]) => part.text).join("\n\n"),
    )
  }).pipe(Effect.provide(Diagnostics.Default.pipe(Layer.provide(SqlLive))))
