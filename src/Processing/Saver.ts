import type { SqlError } from "@effect/sql"
import { Chunk, Deferred, Effect, Option, Queue, Tracer } from "effect"
import { pageSpan } from "../Observability/Instrument.js"
import { PageSaves, type PageSave, type SaveOutcome } from "../Pages/PageSaves.js"
import { retryDatabase } from "../Pages/RetryDatabase.js"
import { describeSqlError } from "../SqlErrors.js"
import { reasonOfCause } from "./Outcomes.js"

/**
 * The save stage behind the fetches: finished pages wait in a bounded queue (a page whose save
 * cannot be queued waits, and counts against the next claim) and are written in groups by a few
 * writers, one statement per group, so a wave of completions costs a few statements, not a
 * connection each. A group the database refuses (one page's data) is saved again page by page, so
 * that page alone ends `Error` with the database's message.
 */

/** Pages written in one statement at most, and pages waiting for a writer at most. */
export const GROUP_SIZE = 500
export const QUEUE_SIZE = 2 * GROUP_SIZE
/** Writers at once: the pool (5) keeps a connection for claims and one for the lease heartbeat. */
const WRITERS = 2
/** Pages the stage holds before a page handed to it has to wait. */
export const SAVE_CAPACITY = QUEUE_SIZE + WRITERS * GROUP_SIZE

/** How a save ended: as the group wrote it, refused with the database's message, or not at all. */
export type Saving =
  | SaveOutcome
  | { readonly _tag: "Refused"; readonly error: string }
  | { readonly _tag: "Failed"; readonly reason: string }

interface Pending {
  readonly save: PageSave
  readonly done: Deferred.Deferred<Saving>
  readonly span: Option.Option<Tracer.AnySpan>
}

export class Saver extends Effect.Service<Saver>()("Processing/Saver", {
  scoped: Effect.gen(function* () {
    const saves = yield* PageSaves
    const queue = yield* Queue.bounded<Pending>(QUEUE_SIZE)
    // Pages handed to the stage and not yet written; read by the scheduler's room count.
    let backlog = 0

    /** A group the database refuses is tried page by page: only the page it refuses fails, with its message. */
    const one = (save: PageSave): Effect.Effect<Saving, SqlError.SqlError> =>
      retryDatabase(saves.save([save])).pipe(
        Effect.map((outcomes): Saving => outcomes[0] ?? { _tag: "LeaseLost" }),
        Effect.catchTag("SqlError", (refused) => {
          const error = describeSqlError(refused)
          return Effect.logWarning(
            "the database refused a page's save; the page fails with its message",
          ).pipe(
            Effect.annotateLogs({ url: save.page.url, error }),
            Effect.zipRight(retryDatabase(saves.save([{ ...save, result: { _tag: "Error", error } }]))),
            Effect.map(([outcome]): Saving =>
              outcome?._tag === "Error" ? { _tag: "Refused", error } : { _tag: "LeaseLost" },
            ),
          )
        }),
      )

    const write = (group: ReadonlyArray<Pending>) =>
      retryDatabase(saves.save(group.map((pending) => pending.save))).pipe(
        Effect.catchTag("SqlError", () => Effect.forEach(group, (pending) => one(pending.save))),
        Effect.catchAllCause((cause) =>
          Effect.logError(
            "saving a group of pages failed; their leases return them to the queue",
            cause,
          ).pipe(Effect.as(group.map((): Saving => ({ _tag: "Failed", reason: reasonOfCause(cause) })))),
        ),
        Effect.flatMap((outcomes) =>
          Effect.forEach(group, (pending, index) =>
            Deferred.succeed(
              pending.done,
              outcomes[index] ?? ({ _tag: "Failed", reason: "Defect" } as const),
            ),
          ),
        ),
        Effect.ensuring(Effect.sync(() => (backlog -= group.length))),
        Effect.withSpan("wf7.saveGroup", {
          attributes: { pages: group.length },
          links: group.flatMap((pending) =>
            Option.isSome(pending.span)
              ? [{ _tag: "SpanLink" as const, span: pending.span.value, attributes: {} }]
              : [],
          ),
        }),
      )

    const writer = Queue.takeBetween(queue, 1, GROUP_SIZE).pipe(
      Effect.flatMap((group) => write(Chunk.toReadonlyArray(group))),
      Effect.forever,
    )
    for (let i = 0; i < WRITERS; i++) yield* Effect.forkScoped(writer)

    /** Hands a finished page to the writers and waits for its group to be written. */
    const save = (save: PageSave) =>
      Effect.gen(function* () {
        const done = yield* Deferred.make<Saving>()
        backlog++
        const span = yield* Effect.serviceOption(Tracer.ParentSpan)
        yield* Queue.offer(queue, { save, done, span }).pipe(
          Effect.onInterrupt(() => Effect.sync(() => backlog--)),
        )
        return yield* Deferred.await(done)
      }).pipe(pageSpan("wf7.save"))

    return { save, backlog: Effect.sync(() => backlog) } as const
  }),
  dependencies: [PageSaves.Default],
}) {}
