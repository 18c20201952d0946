import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Context, Effect, Layer } from "effect"
import { readFile } from "node:fs/promises"
import type { Page } from "playwright-core"
import { Latency, Sandbox } from "../../src/Sandbox/index.js"
import { openPage, screenshotAtWidths, waitForText } from "../support/Browser.js"
import { sandboxDaemon } from "../support/Daemon.js"
import { startCli } from "../support/Cli.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * The console in Chromium against a real daemon on the test database and the simulator: one
 * daemon, one browser, one page, the steps of a curator's and an operator's session in order.
 */

const SCRAPER_KEY = "sk-console-7d1f"
const API_KEY = "console-test-api-key-0123456789abcdef"
const REFUSED = "Failed to load resource: the server responded with a status of 401 (Unauthorized)"

class Console extends Context.Tag("test/Console")<
  Console,
  {
    readonly page: Page
    readonly consoleErrors: () => ReadonlyArray<string>
    readonly daemon: ReturnType<typeof startCli>
    readonly urls: ReadonlyArray<string>
  }
>() {}

const ConsoleLive = Layer.scoped(
  Console,
  Effect.gen(function* () {
    const database = yield* TestDatabase
    const sandbox = yield* Sandbox
    const daemon = yield* sandboxDaemon(database.url, SCRAPER_KEY, {
      WF7_API_KEY: API_KEY,
      SCRAPER_API_MAX_CONCURRENT: "4",
      WF7_MAX_FILTERED_BATCH_SIZE: "30",
      WF7_POLL_INTERVAL_SECONDS: "0.5",
    })
    yield* Effect.promise(() => daemon.waitFor("Listening on"))
    const port = /Listening on http:\/\/[^"]*:(\d+)/.exec(daemon.output())?.[1]
    const { page, consoleErrors } = yield* openPage(`http://127.0.0.1:${port}/`)
    return { page, consoleErrors, daemon, urls: sandbox.corpus.urls.slice(0, 38) }
  }),
)

const world = ConsoleLive.pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      TestDatabaseLive,
      Sandbox.layer({ apiKey: SCRAPER_KEY, sites: 30, seed: 1, latency: Latency.Fixed({ ms: 20 }) }),
    ),
  ),
)

const browse = <A>(step: (page: Page) => Promise<A>) =>
  Effect.flatMap(Console, ({ page }) => Effect.promise(() => step(page)))

const count = (statement: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<{ count: number }>(statement)).pipe(
    Effect.map(([row]) => row?.count),
  )

/** The first row of a query that must return one. */
const firstRow = <A>(rows: ReadonlyArray<A>) => Effect.orDie(Effect.fromNullable(rows[0]))

/** A cell as a spreadsheet shows it: the export quotes a leading + (as of "+44…") so it is no formula. */
const spreadsheetText = (cell: string | undefined) => cell?.replace(/^'(?=[=+\-@])/, "")

const figure = (id: string) => `[data-figure="${id}"]`
const hourChart = '[data-chart="last-hour"]'
const noWarnings = "#warnings-title + [role=status]"

layer(world, { timeout: 180_000 })("Console", (it) => {
  it.effect(
    "a refused key is named on the sign-in screen; the API key signs in, typed and sent with Enter",
    () =>
      browse(async (page) => {
        const token = page.getByLabel("API key or JWT")
        await token.fill("not-the-key")
        await page.getByRole("button", { name: "Sign in" }).click()
        await page.getByRole("alert").filter({ hasText: "Invalid token" }).waitFor()
        await token.fill("")
        await token.focus()
        await page.keyboard.type(API_KEY)
        await page.keyboard.press("Enter")
        await page.getByRole("heading", { name: "Overview" }).waitFor()
      }),
  )

  it.effect("Import: 40 lines make 38 pages; the 2 bad lines are listed with their line and reason", () =>
    Effect.gen(function* () {
      const { urls } = yield* Console
      const lines = [
        ...urls.slice(0, 10),
        "not a url",
        ...urls.slice(10, 24),
        "ftp://example.com/x",
        ...urls.slice(24),
      ]
      const rows = yield* browse(async (page) => {
        await page.getByRole("link", { name: "Import" }).click()
        await page.getByLabel("URLs, one per line").fill(lines.join("\n"))
        await page.getByRole("button", { name: "Import", exact: true }).click()
        await waitForText(page, "#import-summary", /^38 created, 0 already known, 0 queued, 2 invalid\.$/)
        return page.locator(".result tbody tr").allInnerTexts()
      })
      expect(rows).toEqual([
        "11\tnot a url\tnot a URL",
        "26\tftp://example.com/x\tscheme ftp is not http or https",
      ])
      expect(
        yield* count("SELECT count(*)::int AS count FROM pages WHERE page_curation_status = 'New'"),
      ).toBe(38)
    }),
  )

  it.effect(
    "Pages: 'select all N matching' shows N before it runs and refuses over WF7_MAX_FILTERED_BATCH_SIZE; the overview's counters and last-hour chart follow the pages until the queue is empty",
    () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const matching = yield* count("SELECT count(*)::int AS count FROM pages WHERE url LIKE '%contact%'")
        // Held by the simulator, the pages stay in flight until the overview has shown them there.
        yield* sandbox.hold
        yield* browse(async (page) => {
          await page.getByRole("link", { name: "Pages" }).click()
          await page.getByRole("button", { name: "Select all matching…" }).click()
          await waitForText(
            page,
            ".select-all .problem",
            /^38 pages match: one change may select 30 at most\./,
          )
          await page.getByLabel("URL contains").fill("contact")
          await page.getByLabel("URL contains").press("Enter")
          await waitForText(page, ".pager span", new RegExp(`^1–${matching} of ${matching}$`))
          await page.getByRole("button", { name: "Select all matching…" }).click()
          await page.getByRole("button", { name: `Select all ${matching} matching` }).click()
          await waitForText(
            page,
            ".message",
            new RegExp(`^${matching} pages selected, ${matching} queued\\.$`),
          )
          await page.getByRole("link", { name: "Overview" }).click()
          await waitForText(page, figure("processing"), /^[1-9]\d*$/)
          await waitForText(page, figure("complete"), /^0$/)
          await waitForText(page, hourChart, /: 0 pages, 0 contacts, 0 errors/)
          await waitForText(page, noWarnings, /^No warnings\.$/)
        })
        yield* sandbox.release
        yield* browse(async (page) => {
          await waitForText(page, figure("queued"), /^0$/)
          await waitForText(page, figure("processing"), /^0$/)
          await waitForText(page, figure("complete"), new RegExp(`^${matching}$`))
          // From the stream: the simulator answered every request, the pool is the API's.
          await waitForText(page, figure("rate-limited"), /^0$/)
          await waitForText(page, figure("db-pool"), /^\d+ of [1-9]\d*, 0 waiting$/)
          await waitForText(page, figure("rollout"), /^concurrent, 100 % of batches$/)
        })
        // The hour chart's points are the series' buckets: every completed page and its contacts.
        const stored = yield* count("SELECT count(*)::int AS count FROM contacts")
        const hour = yield* browse(async (page) => {
          await waitForText(page, hourChart, new RegExp(`: ${matching} pages, ${stored} contacts, 0 errors`))
          return Number(await page.locator(hourChart).getAttribute("data-points"))
        })
        expect(stored).toBeGreaterThan(0)
        expect(hour).toBe(60)
        expect(
          yield* count("SELECT count(*)::int AS count FROM pages WHERE page_processing_status = 'Complete'"),
        ).toBe(matching)
      }),
  )

  it.effect(
    "a page stuck in Processing without a lease is listed among the diagnose warnings until it is not",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        // No lease at all: no daemon's rescue returns it, only `wf7 diagnose` (and the stream) see it.
        const stuck = yield* firstRow(
          yield* sql<{ id: string }>`
          UPDATE pages SET page_processing_status = 'Processing', lease_owner = NULL, lease_expires_at = NULL
          WHERE id = (SELECT id FROM pages WHERE page_processing_status = 'Complete' ORDER BY id LIMIT 1)
          RETURNING id`,
        )
        yield* browse(async (page) => {
          await page.getByRole("link", { name: "Overview" }).click()
          await page
            .getByRole("alert")
            .getByRole("listitem")
            .filter({ hasText: /^1 pages are stuck in Processing past their lease/ })
            .waitFor()
        })
        yield* sql`UPDATE pages SET page_processing_status = 'Complete' WHERE id = ${stuck.id}`
        yield* browse((page) => waitForText(page, noWarnings, /^No warnings\.$/))
      }),
  )

  it.effect("a page's detail shows its attempts and the contacts stored for it", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const busiest = yield* firstRow(
        yield* sql<{ id: string; url: string; contacts: number }>`
        SELECT p.id, p.url, count(c.id)::int AS contacts FROM pages p JOIN contacts c ON c.page_id = p.id
        GROUP BY p.id ORDER BY 3 DESC, 2 LIMIT 1`,
      )
      const shown = yield* browse(async (page) => {
        await page.getByRole("link", { name: "Pages" }).click()
        await page.getByLabel("URL contains").fill(busiest.url)
        await page.getByLabel("URL contains").press("Enter")
        await page.getByRole("link", { name: busiest.url }).click()
        await page.getByRole("heading", { name: busiest.url }).waitFor()
        return {
          caption: await page.locator("caption").textContent(),
          rows: await page.locator("tbody tr").count(),
          attempts: await page.locator("dt:text-is('Attempts') + dd").textContent(),
        }
      })
      expect(shown).toEqual({
        caption: `Contacts (${busiest.contacts})`,
        rows: busiest.contacts,
        attempts: "1",
      })
    }),
  )

  it.effect(
    "Contacts: the CSV downloaded for a domain and kind filter is, row by row, what the table and the database hold",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const top = yield* firstRow(
          yield* sql<{ domain: string; contacts: number }>`
        SELECT d.domain, count(*)::int AS contacts FROM contacts c JOIN domains d ON d.id = c.domain_id
        WHERE c.phone IS NOT NULL GROUP BY d.domain ORDER BY 2 DESC, 1 LIMIT 1`,
        )
        const { csv, table } = yield* browse(async (page) => {
          await page.getByRole("link", { name: "Contacts" }).click()
          await page.getByLabel("Domain").fill(top.domain)
          await page.getByLabel("Domain").press("Enter")
          await page.getByLabel("Kind").selectOption("phone")
          const button = page.getByRole("button", { name: `Download CSV (${top.contacts})` })
          const [download] = await Promise.all([page.waitForEvent("download"), button.click()])
          const table = await page
            .locator("tbody tr")
            .evaluateAll((rows) =>
              rows.map((row) => [...row.querySelectorAll("td")].slice(0, 2).map((cell) => cell.textContent)),
            )
          return { csv: await readFile(await download.path(), "utf8"), table }
        })
        const stored = yield* sql<{ id: string; email: string | null; phone: string | null }>`
        SELECT c.id, c.email, c.phone FROM contacts c JOIN domains d ON d.id = c.domain_id
        WHERE d.domain = ${top.domain} AND c.phone IS NOT NULL ORDER BY c.created_at, c.id`
        const rows: Array<Record<string, string>> = parse(csv, { columns: true })
        expect(rows.map((row) => [row.id, spreadsheetText(row.email), spreadsheetText(row.phone)])).toEqual(
          stored.map((row) => [row.id, row.email ?? "", row.phone ?? ""]),
        )
        expect(table).toEqual(stored.map((row) => [row.email ?? "", row.phone ?? ""]))
      }),
  )

  it.effect(
    "Rollout: concurrency switched off in the console makes the next batch sequential; the history says who",
    () =>
      Effect.gen(function* () {
        const { daemon } = yield* Console
        expect(daemon.output()).toContain("WF7 Concurrent: Processed")
        expect(daemon.output()).not.toContain("WF7 Sequential:")
        const rest = yield* count(
          "SELECT count(*)::int AS count FROM pages WHERE page_curation_status = 'New'",
        )
        const change = yield* browse(async (page) => {
          await page.getByRole("link", { name: "Rollout" }).click()
          await page.getByLabel("Concurrent processing").uncheck()
          await page.getByRole("button", { name: "Save" }).click()
          await waitForText(page, ".message", /^Saved/)
          const change = await page.getByRole("row").filter({ hasText: "concurrent_enabled" }).innerText()
          await page.getByRole("link", { name: "Pages" }).click()
          await page.getByLabel("Curation status").selectOption("New")
          await waitForText(page, ".pager span", new RegExp(`^1–${rest} of ${rest}$`))
          await page.getByRole("button", { name: "Select all matching…" }).click()
          await page.getByRole("button", { name: `Select all ${rest} matching` }).click()
          await waitForText(page, ".message", new RegExp(`^${rest} pages selected`))
          return change
        })
        expect(change.split("\t").slice(1)).toEqual(["api key", "concurrent_enabled", "true", "false"])
        yield* Effect.promise(() => daemon.waitFor("WF7 Sequential: Processed"))
      }),
  )

  it.effect("a token refused mid-session returns to the sign-in screen with the reason", () =>
    browse(async (page) => {
      await page.evaluate(`sessionStorage.setItem("wf7.token", "revoked-token")`)
      await page.getByRole("link", { name: "Contacts" }).click()
      await page.getByRole("alert").filter({ hasText: "Invalid token" }).waitFor()
      await page.getByLabel("API key or JWT").waitFor()
    }),
  )

  it.effect("every view fits 1280 and 390 px; each is screenshotted at both widths", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const { urls } = yield* Console
      const sample = yield* firstRow(
        yield* sql<{
          id: string
        }>`SELECT page_id AS id FROM contacts ORDER BY created_at LIMIT 1`,
      )
      const overflows = yield* browse(async (page) => {
        const shots = [await screenshotAtWidths(page, "sign-in")]
        await page.getByLabel("API key or JWT").fill(API_KEY)
        await page.getByRole("button", { name: "Sign in" }).click()
        await page.getByRole("link", { name: "Overview" }).click()
        await page.locator(figure("queued")).waitFor()
        shots.push(await screenshotAtWidths(page, "overview"))
        await page.getByRole("link", { name: "Pages" }).click()
        await page.locator("tbody tr").first().waitFor()
        shots.push(await screenshotAtWidths(page, "pages"))
        await page.goto(`${new URL(page.url()).origin}/#/pages/${sample.id}`)
        await page.locator("tbody tr").first().waitFor()
        shots.push(await screenshotAtWidths(page, "page-detail"))
        await page.getByRole("link", { name: "Contacts" }).click()
        await page.locator("tbody tr").first().waitFor()
        shots.push(await screenshotAtWidths(page, "contacts"))
        await page.getByRole("link", { name: "Rollout" }).click()
        await page.locator("tbody tr").first().waitFor()
        shots.push(await screenshotAtWidths(page, "rollout"))
        await page.getByRole("link", { name: "Import" }).click()
        await page
          .getByLabel("URLs, one per line")
          .fill([urls[0], "www.example.com/contact", "mailto:x"].join("\n"))
        await page.getByRole("button", { name: "Import", exact: true }).click()
        await page.locator("#import-summary").waitFor()
        shots.push(await screenshotAtWidths(page, "import"))
        return shots.flat()
      })
      expect(overflows).toEqual([])
    }),
  )

  it.effect("the console logged no error but the two refused tokens' 401s", () =>
    Effect.map(Console, ({ consoleErrors }) => expect(consoleErrors()).toEqual([REFUSED, REFUSED])),
  )
})
