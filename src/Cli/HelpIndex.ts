import { readFileSync } from "node:fs"
import { escapeControl } from "./Escape.js"

/**
 * `wf7 --help` and `wf7 <command> --help` as rendered at build time (dist/help.json), so help loads
 * neither Effect nor @effect/cli; anything else, or no index, goes through the full command line.
 */

export interface HelpIndex {
  readonly program: string
  readonly commands: Readonly<Record<string, string>>
}

export const helpRequested = (args: ReadonlyArray<string>) => {
  const options = args.slice(0, args.includes("--") ? args.indexOf("--") : args.length)
  return args.length === 0 || options.includes("--help") || options.includes("-h")
}

const isIndex = (value: unknown): value is HelpIndex =>
  typeof value === "object" &&
  value !== null &&
  "program" in value &&
  typeof value.program === "string" &&
  "commands" in value &&
  typeof value.commands === "object" &&
  value.commands !== null &&
  Object.values(value.commands).every((help) => typeof help === "string")

/** dist/help.json beside an entry one folder below dist/: the bundled CLI's chunks live elsewhere. */
export const helpIndexFile = (moduleUrl: string) => new URL("../help.json", moduleUrl)

export const readHelpIndex = (file: URL): HelpIndex | undefined => {
  try {
    const index: unknown = JSON.parse(readFileSync(file, "utf8"))
    return isIndex(index) ? index : undefined
  } catch {
    return undefined
  }
}

/** The help text the index holds for these arguments; undefined when the full command line must answer. */
export const indexedHelp = (index: HelpIndex | undefined, args: ReadonlyArray<string>) => {
  if (index === undefined || !helpRequested(args)) return undefined
  if (args.some((arg) => escapeControl(arg) !== arg)) return undefined
  const [first] = args
  if (first === undefined || first.startsWith("-")) return index.program
  return Object.hasOwn(index.commands, first) ? index.commands[first] : undefined
}
