import { expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { ScraperAccount } from "../../src/Fetch/ScraperAccount.js"
import { ScraperHttpLive } from "../../src/Fetch/ScraperApi.js"
import { collectLogs, type LogLine } from "../support/Logs.js"
import { stubServer } from "../support/StubServer.js"
import { configFrom } from "../support/TestConfig.js"

const KEY = "sk-account-5e2f"

it.scoped("an unreadable /account is None, said in a WARN line that names no key", () =>
  Effect.gen(function* () {
    const proxy = yield* stubServer((_request, response) => {
      response.writeHead(500)
      response.end("upstream trouble")
    })
    const config = configFrom({ SCRAPER_API_KEY: KEY, SCRAPER_API_BASE_URL: proxy.url })
    const layer = ScraperAccount.Default.pipe(Layer.provide(ScraperHttpLive), Layer.provide(config))
    const lines: Array<LogLine> = []
    const info = yield* collectLogs(
      Effect.flatMap(ScraperAccount, (account) => account.info),
      lines,
    ).pipe(Effect.provide(layer))
    expect(info).toEqual(Option.none())
    expect(lines.filter((line) => line.level === "WARN")).toEqual([
      {
        level: "WARN",
        message: "cannot read ScraperAPI /account",
        fields: { reason: "ResponseError" },
      },
    ])
    expect(JSON.stringify(lines)).not.toContain(KEY)
  }),
)
