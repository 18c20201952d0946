import { ValidationError } from "@effect/cli"
import { Cause, ConfigError, Data, Effect, Exit, Option, Predicate } from "effect"
import { describeConfigError } from "../Config.js"
import { escapeControl } from "./Escape.js"

/** A command's chosen exit status (75 when fetching is paused, 65 when no input line was usable …). */
export class ExitCode extends Data.TaggedError("ExitCode")<{ readonly code: number }> {}

// sysexits.h: the command line was wrong, a service is unavailable, the configuration is bad.
export const EX_USAGE = 64
export const EX_UNAVAILABLE = 69
const EX_CONFIG = 78

const messageOf = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return String(error)
  if ("message" in error && typeof error.message === "string" && error.message !== "") return error.message
  return "_tag" in error && typeof error._tag === "string" ? error._tag : "unexpected failure"
}

const explain = (error: unknown, usage: ReadonlyArray<string>): { lines: Array<string>; code: number } => {
  // @effect/cli has already printed what was wrong with the arguments; the usage says what is right.
  if (ValidationError.isValidationError(error)) return { lines: [...usage], code: EX_USAGE }
  if (ConfigError.isConfigError(error)) {
    const problems = escapeControl(describeConfigError(error).split("\n").join("; "))
    return { lines: [`wf7: invalid configuration: ${problems}`], code: EX_CONFIG }
  }
  // By tag, not class: the database client stays unloaded for commands that do not use it.
  const code = Predicate.isTagged(error, "DatabaseUnreachable") ? EX_UNAVAILABLE : 1
  return { lines: [`wf7: ${messageOf(error)}`], code }
}

/** Expected failures end in a few lines on stderr and their exit status, never a stack trace. */
export const reportFailures =
  (usage: ReadonlyArray<string>) =>
  <A, E, R>(program: Effect.Effect<A, E, R>) =>
    program.pipe(
      Effect.catchAll((error: unknown) => {
        if (error instanceof ExitCode) return Effect.fail(error)
        const { lines, code } = explain(error, usage)
        return Effect.sync(() => process.stderr.write(`${lines.join("\n")}\n`)).pipe(
          Effect.zipRight(Effect.fail(new ExitCode({ code }))),
        )
      }),
    )

export const teardown = (exit: Exit.Exit<unknown, unknown>, onExit: (code: number) => void) => {
  if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) return onExit(0)
  const failure = Cause.failureOption(exit.cause)
  onExit(Option.isSome(failure) && failure.value instanceof ExitCode ? failure.value.code : 1)
}
