import { Effect, Logger, LogLevel } from "effect"

/** A log line as an operator reads it: level, message, structured fields. */
export interface LogLine {
  readonly level: string
  readonly message: string
  readonly fields: Record<string, unknown>
}

/** `effect` with every line it logs, at any level, collected in `lines` (also from the fibers it forks). */
export const collectLogs = <A, E, R>(effect: Effect.Effect<A, E, R>, lines: Array<LogLine>) =>
  effect.pipe(
    Effect.provide(
      Logger.replace(
        Logger.defaultLogger,
        Logger.make(({ logLevel, message, annotations }) => {
          lines.push({
            level: logLevel.label,
            message: [message].flat().join(" "),
            fields: Object.fromEntries(annotations),
          })
        }),
      ),
    ),
    Logger.withMinimumLogLevel(LogLevel.All),
  )
