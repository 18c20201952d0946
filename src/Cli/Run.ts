import { Console, Effect } from "effect"
import { loadDotEnv } from "../Config.js"
import { LoggingLive } from "../Logging.js"
import { EX_USAGE, ExitCode, reportFailures } from "./Errors.js"
import { route, type Program } from "./Help.js"

/**
 * The command line as an operator meets it: help and unknown commands answered before anything is
 * read, then `./.env`, logging and the command itself, whose failures end in one clear message.
 */
export const runCommandLine = <E, R>(
  program: Program,
  argv: ReadonlyArray<string>,
  cli: (argv: ReadonlyArray<string>) => Effect.Effect<void, E, R>,
) =>
  Effect.suspend(() => {
    const request = route(program, argv.slice(2))
    switch (request._tag) {
      case "Help":
        return Console.log(request.text)
      case "UsageError":
        return Console.error([`${program.name}: ${request.message}`, ...request.usage].join("\n")).pipe(
          Effect.zipRight(new ExitCode({ code: EX_USAGE })),
        )
      case "Run":
        return loadDotEnv.pipe(
          Effect.zipRight(Effect.provide(cli(argv), LoggingLive)),
          reportFailures(request.usage),
        )
    }
  })
