import { SqlError } from "@effect/sql"
import { Duration, Effect, Schedule } from "effect"
import { describeSqlError, isConnectionError } from "../SqlErrors.js"

/**
 * A database that restarts or drops a connection is waited for; a statement it refuses fails the
 * same way every time, so it is not retried but returned to the caller.
 */
export const retryDatabase = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.tapError((error) =>
      isRetried(error)
        ? Effect.logWarning("database call failed, retrying", describeSqlError(error))
        : Effect.void,
    ),
    Effect.retry({
      while: isRetried,
      schedule: Schedule.exponential(Duration.millis(200), 2).pipe(
        Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(10))),
        Schedule.jittered,
      ),
    }),
  )

const isRetried = (error: { readonly _tag: string }): error is SqlError.SqlError =>
  error instanceof SqlError.SqlError && isConnectionError(error)

/** A restarting database is waited for; a statement it refuses is a bug here, not the page's fault. */
export const stored = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.orDie(retryDatabase(effect))
