import { Command } from "@effect/cli"
import { Effect } from "effect"
import type * as Types from "effect/Types"

/**
 * A command whose work is imported when it runs: `wf7 --help` and the other commands never load
 * its modules (the database client, the HTTP server, tracing, the simulator).
 */
export const lazyCommand = <Name extends string, const Config extends Command.Command.Config, E, R>(
  name: Name,
  config: Config,
  work: (args: Types.Simplify<Command.Command.ParseConfig<Config>>) => Promise<Effect.Effect<void, E, R>>,
) => Command.make(name, config, (args) => Effect.flatten(Effect.promise(() => work(args))))
