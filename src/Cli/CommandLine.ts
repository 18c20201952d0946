import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { teardown } from "./Errors.js"
import { commands, program } from "./Program.js"
import { runCommandLine } from "./Run.js"

/** The whole command line: every command's options, parsed by @effect/cli, and the Effect runtime. */

const wf7 = Command.make(program.name).pipe(
  Command.withDescription(program.summary),
  Command.withSubcommands(commands),
)

runCommandLine(
  program,
  process.argv,
  Command.run(wf7, { name: program.name, version: program.version }),
).pipe(
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown }),
)
