#!/usr/bin/env node
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { contactsCommand } from "./Cli/Contacts.js"
import { daemonCommand } from "./Cli/Daemon.js"
import { dbUrlCommand } from "./Cli/DbUrl.js"
import { demoCommand } from "./Cli/Demo.js"
import { diagnoseCommand } from "./Cli/Diagnose.js"
import { drainCommand } from "./Cli/Drain.js"
import { enqueueCommand } from "./Cli/Enqueue.js"
import { reportFailures, teardown } from "./Cli/Errors.js"
import { extractCommand } from "./Cli/Extract.js"
import { migrateCommand } from "./Cli/Migrate.js"
import { pagesCommand } from "./Cli/Pages.js"
import { sandboxCommand } from "./Cli/Sandbox.js"
import { LoggingLive } from "./Logging.js"

const wf7 = Command.make("wf7").pipe(
  Command.withDescription("Concurrent contact extraction from curated web pages."),
  Command.withSubcommands([
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
  ]),
)

const cli = Command.run(wf7, { name: "wf7", version: "0.1.0" })

cli(process.argv).pipe(
  Effect.provide(LoggingLive),
  reportFailures,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown }),
)
