import { Cause, ConfigError, Data, Effect, Exit, Option } from "effect"
import { describeConfigError } from "../Config.js"

/** A command's chosen exit status (75 when fetching is paused, 65 when no input line was usable …). */
export class ExitCode extends Data.TaggedError("ExitCode")<{ readonly code: number }> {}

const EX_CONFIG = 78

const messageOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : undefined

/**
 * Expected failures end the process with one line on stderr, never a stack trace: bad configuration,
 * a database that cannot start or be reached.
 */
export const reportFailures = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.catchAll((error: unknown) => {
      if (error instanceof ExitCode) return Effect.fail(error)
      const line = ConfigError.isConfigError(error)
        ? `wf7: invalid configuration: ${describeConfigError(error).split("\n").join("; ")}`
        : `wf7: ${messageOf(error) ?? String(error)}`
      return Effect.sync(() => process.stderr.write(`${line}\n`)).pipe(
        Effect.zipRight(
          Effect.fail(new ExitCode({ code: ConfigError.isConfigError(error) ? EX_CONFIG : 1 })),
        ),
      )
    }),
  )

/** The runtime's teardown: an ExitCode failure exits with its code, other failures with 1. */
export const teardown = (exit: Exit.Exit<unknown, unknown>, onExit: (code: number) => void) => {
  if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) return onExit(0)
  const failure = Cause.failureOption(exit.cause)
  onExit(Option.isSome(failure) && failure.value instanceof ExitCode ? failure.value.code : 1)
}
