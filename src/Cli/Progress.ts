import { Effect, Fiber, FiberRef, HashSet, Logger, LogLevel, Schedule } from "effect"
import { perMinute } from "../Observability/Readable.js"

/**
 * `wf7 drain` on a terminal: one live line on stderr (done / total, pages/min, contacts, errors, ETA)
 * each second instead of a log line per batch. In a pipe or as JSON logs the batch lines stay for scripts.
 */

export interface Progress {
  readonly done: number
  /** Pages still queued or in flight. */
  readonly remaining: number
  readonly contacts: number
  readonly errors: number
  readonly elapsedSeconds: number
}

/** Moves to the start of the line and erases it. */
const CLEAR_LINE = "\r\x1b[2K"

/** `1h 05m`, `4m 10s`, `9s`. */
export const formatDuration = (totalSeconds: number) => {
  const whole = Math.ceil(totalSeconds)
  const [hours, minutes, secs] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60]
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, "0")}m`
  if (minutes > 0) return `${minutes}m ${String(secs).padStart(2, "0")}s`
  return `${secs}s`
}

const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`

export const progressLine = ({ done, remaining, contacts, errors, elapsedSeconds }: Progress) => {
  const eta =
    remaining === 0
      ? "0s"
      : done === 0 || elapsedSeconds <= 0
        ? "unknown"
        : formatDuration((remaining * elapsedSeconds) / done)
  return (
    `drain: ${done}/${done + remaining} pages, ${perMinute(done, elapsedSeconds)} pages/min, ` +
    `${counted(contacts, "contact")}, ${counted(errors, "error")}, ETA ${eta}`
  )
}

export const wantsLiveLine = (stderrIsTerminal: boolean, logFormat: string) =>
  stderrIsTerminal && logFormat !== "json"

const clearingFirst = (logger: Logger.Logger<unknown, unknown>) =>
  Logger.make<unknown, unknown>((options) => {
    process.stderr.write(CLEAR_LINE)
    return logger.log(options)
  })

/** Runs `effect` under the live line; its INFO lines give way to it (a lower level set on purpose stays). */
export const withLiveLine = <A, E, R, R2>(
  effect: Effect.Effect<A, E, R>,
  sample: Effect.Effect<Progress, unknown, R2>,
) =>
  Effect.gen(function* () {
    const draw = sample.pipe(
      Effect.flatMap((progress) =>
        Effect.sync(() => process.stderr.write(CLEAR_LINE + progressLine(progress))),
      ),
      // The last line stays up until the next second's sample.
      Effect.catchAllCause((cause) => Effect.logDebug("drain progress: sample failed", cause)),
    )
    const drawing = yield* Effect.fork(Effect.repeat(draw, Schedule.spaced("1 second")))
    // The last state stays on screen, ended by a newline, whatever ended the run.
    const last = Fiber.interrupt(drawing).pipe(
      Effect.zipRight(draw),
      Effect.zipRight(Effect.sync(() => process.stderr.write("\n"))),
    )
    return yield* effect.pipe(
      Effect.locallyWith(FiberRef.currentMinimumLogLevel, (level) =>
        level._tag === "Info" ? LogLevel.Warning : level,
      ),
      Effect.locallyWith(FiberRef.currentLoggers, HashSet.map(clearingFirst)),
      Effect.ensuring(last),
    )
  })
