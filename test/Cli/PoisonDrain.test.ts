import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { Curation } from "../../src/Pages/Curation.js"
import { startCli } from "../support/Cli.js"
import { contactPage } from "../support/ScriptedFetcher.js"
import { stubServer } from "../support/StubServer.js"
import { TestDatabase, TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * `wf7 drain` as a real process over an upstream that answers one page with a NUL byte in its error
 * body: Postgres refuses NUL in text, and the page's `Error` update used to be retried forever.
 */

const KEY = "sk-poison-5c1e"
const POISON = "https://poison.example.com/contact"
const beside = ["https://shop.example.com/a", "https://shop.example.com/b"]

const world = Curation.Default.pipe(Layer.provideMerge(TestDatabaseLive))

/** A ScraperAPI stand-in: 400 with a NUL in the body for the poison page, a contact page for the rest. */
const upstream = stubServer((request, response) => {
  const target = new URL(request.url ?? "/", "http://stub").searchParams.get("url")
  if (target === POISON) {
    response.writeHead(400, { "content-type": "text/plain" }).end("bad request\u0000 from upstream")
  } else if (target !== null) {
    response.writeHead(200, { "content-type": "text/html" }).end(contactPage(target))
  } else {
    response.writeHead(404).end()
  }
})

layer(world, { timeout: 120_000, excludeTestServices: true })("drain over a poison upstream", (it) => {
  it.scoped(
    "an error body with a NUL byte ends the page as Error; the drain ends and the rest complete",
    () =>
      Effect.gen(function* () {
        const database = yield* TestDatabase
        const stub = yield* upstream
        yield* (yield* Curation).importUrls([POISON, ...beside], { select: true })
        const drain = yield* Effect.acquireRelease(
          Effect.sync(() =>
            startCli(["drain"], {
              DATABASE_URL: database.url,
              SCRAPER_API_KEY: KEY,
              SCRAPER_API_BASE_URL: stub.url,
              WF7_POLL_INTERVAL_SECONDS: "0.1",
            }),
          ),
          // Only a drain that never ends is still running here.
          (running) => Effect.sync(() => running.child.kill("SIGKILL")),
        )
        const code = yield* Effect.promise(() => drain.exited).pipe(Effect.timeout(Duration.seconds(60)))
        expect(code).toBe(0)
        const summary = drain
          .output()
          .split("\n")
          .find((line) => line.startsWith('{"pages"'))
        expect(JSON.parse(summary ?? "{}")).toMatchObject({ pages: 3, complete: 2, error: 1 })
        const sql = yield* SqlClient.SqlClient
        const pages = yield* sql<{ url: string; status: string; error: string | null }>`
        SELECT url, page_processing_status AS status, page_processing_error AS error FROM pages ORDER BY url`
        expect(pages).toEqual([
          {
            url: POISON,
            status: "Error",
            error: expect.stringMatching(/^BadRequest: ScraperAPI answered 400/),
          },
          { url: beside[0], status: "Complete", error: null },
          { url: beside[1], status: "Complete", error: null },
        ])
        expect(pages[0]?.error).not.toContain("\u0000")
      }),
  )
})
