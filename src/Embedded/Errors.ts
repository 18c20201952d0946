import { Data, Effect, Schedule, type Duration } from "effect"
import * as fs from "node:fs/promises"

export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
}> {}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export const attempt = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (error) => new EmbeddedPostgresError({ message: `${what}: ${messageOf(error)}` }),
  })

const isMissing = (error: unknown) => error instanceof Error && "code" in error && error.code === "ENOENT"

export const readIfPresent = (file: string) =>
  attempt(`cannot read ${file}`, () =>
    fs.readFile(file, "utf8").catch((error: unknown) => (isMissing(error) ? "" : Promise.reject(error))),
  )

export class Pending extends Data.TaggedError("Pending") {}

/** Retries `check` every `every` while it is `Pending`; `onTimeout` once `within` has passed (`Clock`). */
export const awaitSettled = <A, E, R, E2>(
  check: Effect.Effect<A, E | Pending, R>,
  options: {
    readonly every: Duration.DurationInput
    readonly within: Duration.DurationInput
    readonly onTimeout: Effect.Effect<never, E2>
  },
) =>
  check.pipe(
    Effect.retry({
      while: (error) => error instanceof Pending,
      schedule: Schedule.spaced(options.every).pipe(Schedule.upTo(options.within)),
    }),
    Effect.catchIf(
      (error): error is Pending => error instanceof Pending,
      () => options.onTimeout,
    ),
  )
