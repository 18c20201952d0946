import { Config, Effect, Layer, Logger, LogLevel, Record } from "effect"
import { oneOf } from "./Config.js"

/**
 * Logs go to stderr (stdout is for command output such as `wf7 drain`'s summary line): pretty on a
 * terminal, JSON otherwise, unless `WF7_LOG_FORMAT` says; `WF7_LOG_LEVEL` sets the threshold.
 */

const levels = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  none: LogLevel.None,
} as const

export const LoggingConfig = Config.all({
  level: oneOf("WF7_LOG_LEVEL", Record.keys(levels)).pipe(Config.withDefault("info" as const)),
  format: Config.option(oneOf("WF7_LOG_FORMAT", ["pretty", "json", "logfmt"] as const)),
})

export const logFormat = Effect.map(LoggingConfig, (config) =>
  config.format._tag === "Some" ? config.format.value : process.stderr.isTTY ? "pretty" : "json",
)

export const LoggingLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const config = yield* LoggingConfig
    const format = yield* logFormat
    const logger =
      format === "pretty"
        ? Logger.prettyLogger({ stderr: true })
        : Logger.withConsoleError(format === "json" ? Logger.jsonLogger : Logger.logfmtLogger)
    return Layer.merge(
      Logger.replace(Logger.defaultLogger, logger),
      Logger.minimumLogLevel(levels[config.level]),
    )
  }),
)
