import { contactsCommand } from "./Contacts.js"
import { daemonCommand } from "./Daemon.js"
import { dbUrlCommand } from "./DbUrl.js"
import { demoCommand } from "./Demo.js"
import { diagnoseCommand } from "./Diagnose.js"
import { drainCommand } from "./Drain.js"
import { enqueueCommand } from "./Enqueue.js"
import { extractCommand } from "./Extract.js"
import type { Program } from "./Help.js"
import { migrateCommand } from "./Migrate.js"
import { nodesCommand } from "./Nodes.js"
import { pagesCommand } from "./Pages.js"
import { VERSION } from "../Version.js"
import { sandboxCommand } from "./Sandbox.js"

export const commands = [
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
  nodesCommand,
] as const

export const program: Program = {
  name: "wf7",
  version: VERSION,
  summary: "concurrent contact extraction from curated web pages.",
  commands: commands.map((command) => command.descriptor),
}
