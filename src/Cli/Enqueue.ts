import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Layer } from "effect"
import { Curation } from "../Pages/Curation.js"
import { DatabaseLive } from "../Sql.js"
import { ExitCode } from "./Errors.js"
import { readInput } from "./Input.js"

const EX_DATAERR = 65

const select = Options.boolean("select").pipe(
  Options.withDescription("also select the pages, which queues them"),
)
const file = Args.text({ name: "FILE|-" }).pipe(Args.withDescription("URLs one per line; - reads stdin"))

export const enqueueCommand = Command.make("enqueue", { select, file }, ({ file, select }) =>
  Effect.gen(function* () {
    const curation = yield* Curation
    // Blank lines and # comments are skipped but still counted, so reported line numbers match the file.
    const lines = (yield* readInput(file))
      .split(/\r?\n/)
      .map((text, index) => ({ text: text.trim(), line: index + 1 }))
      .filter(({ text }) => text !== "" && !text.startsWith("#"))
    const result = yield* curation.importUrls(
      lines.map(({ text }) => text),
      { select },
    )
    for (const bad of result.invalid) {
      yield* Console.error(`line ${lines[bad.index]?.line}: ${bad.reason}: ${bad.url}`)
    }
    const accepted = result.created + result.existing
    yield* Console.log(
      `imported ${result.created} new pages, ${result.existing} already known, ${result.queued} queued, ${result.invalid.length} bad lines`,
    )
    if (accepted === 0 && result.invalid.length > 0) return yield* new ExitCode({ code: EX_DATAERR })
  }),
).pipe(
  Command.withDescription("Import page URLs, one per line; --select also queues them for processing."),
  Command.provide(Curation.Default.pipe(Layer.provideMerge(DatabaseLive))),
)
