#!/usr/bin/env node
import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { contactsCommand } from "./Cli/Contacts.js"
import { daemonCommand } from "./Cli/Daemon.js"
import { dbUrlCommand } from "./Cli/DbUrl.js"
import { demoCommand } from "./Cli/Demo.js"
import { diagnoseCommand } from "./Cli/Diagnose.js"
import { drainCommand } from "./Cli/Drain.js"
import { enqueueCommand } from "./Cli/Enqueue.js"
import { teardown } from "./Cli/Errors.js"
import { extractCommand } from "./Cli/Extract.js"
import { migrateCommand } from "./Cli/Migrate.js"
import { pagesCommand } from "./Cli/Pages.js"
import { runCommandLine } from "./Cli/Run.js"
import { sandboxCommand } from "./Cli/Sandbox.js"

const commands = [
  migrateCommand,
  enqueueCommand,
  extractCommand,
  drainCommand,
  daemonCommand,
  demoCommand,
  sandboxCommand,
  diagnoseCommand,
  pagesCommand,
  contactsCommand,
  dbUrlCommand,
] as const

const program = {
  name: "wf7",
  version: "0.1.0",
  summary: "concurrent contact extraction from curated web pages.",
  commands: commands.map((command) => command.descriptor),
}

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
