import { Clock, Console, Effect, Layer } from "effect"
import { AppConfig } from "../../Config.js"
import { logFormat } from "../../Logging.js"
import { perMinute, seconds } from "../../Observability/Readable.js"
import { TracingLive } from "../../Observability/Tracing.js"
import { PagesRepo } from "../../Pages/PagesRepo.js"
import { Engine } from "../../Processing/Engine.js"
import { EngineLive } from "../../Processing/Worker.js"
import { DatabaseLive } from "../../Sql.js"
import { ExitCode } from "../Errors.js"
import { wantsLiveLine, withLiveLine } from "../Progress.js"

/** EX_TEMPFAIL: try again later (ScraperAPI credits exhausted, pages left queued). */
const EX_TEMPFAIL = 75

export const drain = Effect.gen(function* () {
  const engine = yield* Engine
  const repo = yield* PagesRepo
  const started = yield* Clock.currentTimeMillis
  const sample = Effect.gen(function* () {
    const { complete, error, contacts } = yield* engine.totals
    const { queued, processing } = yield* repo.pending
    const elapsedSeconds = ((yield* Clock.currentTimeMillis) - started) / 1000
    return {
      done: complete + error,
      remaining: queued + processing,
      contacts,
      errors: error,
      elapsedSeconds,
    }
  })
  const live = wantsLiveLine(process.stderr.isTTY === true, yield* logFormat)
  const end = yield* live ? withLiveLine(engine.run(true), sample) : engine.run(true)
  const totals = yield* engine.totals
  const elapsed = ((yield* Clock.currentTimeMillis) - started) / 1000
  if (end === "paused") {
    // The pause's own reason: ScraperAPI's refusal, or the daily credit budget.
    const { fetcher } = yield* engine.status
    const reason = fetcher.state === "paused" ? fetcher.reason : "ScraperAPI refused requests"
    yield* Console.error(`wf7: fetching is paused (${reason}); the rest stays queued`)
  }
  yield* Console.log(
    JSON.stringify({
      pages: totals.pages,
      complete: totals.complete,
      error: totals.error,
      contacts: totals.contacts,
      seconds: seconds(elapsed),
      pagesPerMinute: perMinute(totals.pages, elapsed),
      contactsPerMinute: perMinute(totals.contacts, elapsed),
    }),
  )
  if (end === "paused") return yield* new ExitCode({ code: EX_TEMPFAIL })
}).pipe(
  Effect.provide(
    EngineLive.pipe(
      Layer.provide(TracingLive),
      Layer.provideMerge(AppConfig.Default),
      Layer.provideMerge(DatabaseLive),
    ),
  ),
)
