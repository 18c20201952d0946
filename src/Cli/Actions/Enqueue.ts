import { Chunk, Console, Effect, Layer, Stream } from "effect"
import { Curation } from "../../Pages/Curation.js"
import { DatabaseLive } from "../../Sql.js"
import { ExitCode } from "../Errors.js"
import { escapeControl } from "../Escape.js"
import { inputLines } from "../Input.js"

const EX_DATAERR = 65
// Lines imported per transaction: a million-line list streams through in bounded memory.
const BATCH = 1000

interface Totals {
  readonly created: number
  readonly existing: number
  readonly queued: number
  readonly bad: number
}

const importBatch = (
  lines: ReadonlyArray<{ readonly text: string; readonly line: number }>,
  select: boolean,
) =>
  Effect.gen(function* () {
    const result = yield* (yield* Curation).importUrls(
      lines.map(({ text }) => text),
      { select },
    )
    for (const bad of result.invalid) {
      yield* Console.error(escapeControl(`line ${lines[bad.index]?.line}: ${bad.reason}: ${bad.url}`))
    }
    return { ...result, bad: result.invalid.length }
  })

export const enqueue = ({ file, select }: { readonly file: string; readonly select: boolean }) =>
  Effect.gen(function* () {
    const totals = yield* inputLines(file).pipe(
      // Blank lines and # comments are skipped but still counted, so reported line numbers match the file.
      Stream.map(({ text, line }) => ({ text: text.trim(), line })),
      Stream.filter(({ text }) => text !== "" && !text.startsWith("#")),
      Stream.grouped(BATCH),
      Stream.mapEffect((lines) => importBatch(Chunk.toReadonlyArray(lines), select)),
      Stream.runFold(
        { created: 0, existing: 0, queued: 0, bad: 0 },
        (sum: Totals, batch: Totals): Totals => ({
          created: sum.created + batch.created,
          existing: sum.existing + batch.existing,
          queued: sum.queued + batch.queued,
          bad: sum.bad + batch.bad,
        }),
      ),
    )
    yield* Console.log(
      `imported ${totals.created} new pages, ${totals.existing} already known, ${totals.queued} queued, ${totals.bad} bad lines`,
    )
    if (totals.created + totals.existing === 0 && totals.bad > 0)
      return yield* new ExitCode({ code: EX_DATAERR })
  }).pipe(Effect.provide(Curation.Default.pipe(Layer.provideMerge(DatabaseLive))))
