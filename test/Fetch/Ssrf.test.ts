import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeDirectFetcher } from "../../src/Fetch/Direct.js"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { Curation } from "../../src/Pages/Curation.js"
import { Engine } from "../../src/Processing/Engine.js"
import { engineWith } from "../../src/Processing/Worker.js"
import { publicTargets } from "../support/PublicTargets.js"
import { stubServer } from "../support/StubServer.js"
import { configFrom } from "../support/TestConfig.js"
import { TestDatabaseLive } from "../support/TestDatabase.js"

/**
 * The SSRF of issue 10 end to end: a public page that redirects into the network ends `Error`,
 * naming the hop, and nothing of the internal page is stored.
 */

const contacts = (email: string) => `<p><a href="mailto:${email}">${email}</a></p>`

it.scopedLive("a page redirecting to an internal address ends Error and stores nothing from inside", () =>
  Effect.gen(function* () {
    const internal = yield* stubServer((_, response) => {
      response.writeHead(200, { "content-type": "text/html" })
      response.end(contacts("root@intranet-corp.com"))
    })
    const site = yield* stubServer((request, response) => {
      if (request.url === "/contact") {
        response.writeHead(302, { location: internal.url })
        return response.end()
      }
      response.writeHead(200, { "content-type": "text/html" })
      response.end(contacts("hello@harbourbakery.co.uk"))
    })
    const world = engineWith(
      Layer.scoped(PageFetcher, makeDirectFetcher).pipe(
        Layer.provide(publicTargets([`127.0.0.1:${new URL(site.url).port}`])),
      ),
    ).pipe(
      Layer.provideMerge(Curation.Default),
      Layer.provideMerge(configFrom({ WF7_FETCH_MODE: "direct", WF7_POLL_INTERVAL_SECONDS: "0.05" })),
      Layer.provideMerge(TestDatabaseLive),
    )
    yield* Effect.gen(function* () {
      yield* (yield* Curation).importUrls([`${site.url}contact`, `${site.url}about`], { select: true })
      yield* (yield* Engine).run(true)
      const sql = yield* SqlClient.SqlClient
      const pages = yield* sql<{ url: string; status: string; error: string | null }>`
        SELECT url, page_processing_status AS status, page_processing_error AS error FROM pages ORDER BY url`
      expect(pages).toEqual([
        { url: `${site.url}about`, status: "Complete", error: null },
        {
          url: `${site.url}contact`,
          status: "Error",
          error: `TargetRefused: redirect 1 to ${internal.url} refused: 127.0.0.1 is a loopback address`,
        },
      ])
      expect(yield* sql`SELECT email FROM contacts`).toEqual([{ email: "hello@harbourbakery.co.uk" }])
      expect(internal.requests).toEqual([])
    }).pipe(Effect.provide(world))
  }),
)
