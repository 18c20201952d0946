import { AutoCorrect, CliConfig, CommandDescriptor, HelpDoc, Usage } from "@effect/cli"
import type * as Span from "@effect/cli/HelpDoc/Span"
import { environmentOf } from "./Environment.js"
import { escapeControl } from "./Escape.js"
import { helpRequested, type HelpIndex } from "./HelpIndex.js"

/**
 * `wf7 --help` and `wf7 <command> --help` as plain text within 100 columns: one line per command,
 * usage lines that start with `wf7`, the environment each command reads. @effect/cli's own help is
 * coloured and lays the commands out as wide as the longest usage.
 */

const WIDTH = 100

export interface Program {
  readonly name: string
  readonly version: string
  readonly summary: string
  readonly commands: ReadonlyArray<CommandDescriptor.Command<unknown>>
}

type Subcommand = CommandDescriptor.Command<unknown>

const config = CliConfig.make({ showBuiltIns: false })

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
    default:
      return spanText(span.value)
  }
}

const wrap = (words: ReadonlyArray<string>, indent: string, first = ""): Array<string> => {
  const lines = [first]
  for (const word of words) {
    const line = lines[lines.length - 1] ?? ""
    const joined = line.trim() === "" ? line + word : `${line} ${word}`
    if (joined.length <= WIDTH || line.trim() === "") lines[lines.length - 1] = joined
    else lines.push(indent + word)
  }
  return lines
}

const docLines = (doc: HelpDoc.HelpDoc, indent: string): Array<string> => {
  switch (doc._tag) {
    case "Empty":
      return []
    case "Header":
      return ["", spanText(doc.value)]
    case "Paragraph":
      return wrap(spanText(doc.value).split(/\s+/), indent, indent)
    case "Sequence":
      return [...docLines(doc.left, indent), ...docLines(doc.right, indent)]
    case "Enumeration":
      return doc.elements.flatMap((element) => docLines(element, indent))
    case "DescriptionList":
      return doc.definitions.flatMap(([term, description]) => [
        ...wrap(spanText(term).split(" "), `${indent}    `, `${indent}  `),
        ...docLines(description, `${indent}    `),
      ])
  }
}

const nameOf = (command: Subcommand) => [...CommandDescriptor.getNames(command)][0] ?? ""

// Split at top-level spaces only (`[--latency fixed | exponential]` stays whole) unless a part cannot fit.
const usageParts = (usage: string) =>
  (usage.match(/(?:\[[^\]]*\]|<[^>]*>|\S)+/g) ?? []).flatMap((part) =>
    part.length > WIDTH - 8 ? part.split(" ") : [part],
  )

const usageOf = (program: Program, command?: Subcommand): Array<string> => {
  const usage =
    command === undefined
      ? `${program.name} <command> [options]`
      : `${program.name} ${spanText(HelpDoc.getSpan(Usage.getHelp(CommandDescriptor.getUsage(command))))}`
  return wrap(usageParts(usage), "      ", "Usage:")
}

const summaryOf = (command: Subcommand) => {
  const help = CommandDescriptor.getHelp(command, config)
  const paragraph = (doc: HelpDoc.HelpDoc): string | undefined =>
    doc._tag === "Paragraph"
      ? spanText(doc.value)
      : doc._tag === "Sequence"
        ? (paragraph(doc.left) ?? paragraph(doc.right))
        : undefined
  return paragraph(help) ?? ""
}

const programHelp = (program: Program): string => {
  const names = program.commands.map(nameOf)
  const column = Math.max(...names.map((name) => name.length)) + 4
  const commands = program.commands.map((command, index) => {
    const line = `  ${(names[index] ?? "").padEnd(column)}${summaryOf(command)}`
    return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`
  })
  return [
    `${program.name} ${program.version}: ${program.summary}`,
    "",
    ...usageOf(program),
    "",
    "Commands:",
    ...commands,
    "",
    `'${program.name} <command> --help' shows a command's options and the environment variables it reads.`,
    "A .env file in the working directory is read; variables set in the environment win.",
  ].join("\n")
}

const commandHelp = (program: Program, command: Subcommand): string => {
  const environment = environmentOf(nameOf(command)).flatMap((variable) => [
    `  ${variable.name}${variable.fallback === undefined ? "" : ` [${variable.fallback}]`}`,
    ...wrap(variable.meaning.split(" "), "    ", "    "),
  ])
  return [
    ...usageOf(program, command),
    ...docLines(CommandDescriptor.getHelp(command, config), ""),
    "",
    "ENVIRONMENT (default in brackets; also read from ./.env, the environment wins)",
    ...environment,
  ].join("\n")
}

export const helpIndexOf = (program: Program): HelpIndex => ({
  program: programHelp(program),
  commands: Object.fromEntries(
    program.commands.map((command) => [nameOf(command), commandHelp(program, command)]),
  ),
})

export type Request =
  | { readonly _tag: "Help"; readonly text: string }
  | { readonly _tag: "UsageError"; readonly message: string; readonly usage: Array<string> }
  | { readonly _tag: "Run"; readonly usage: Array<string> }

const distance = (a: string, b: string) => AutoCorrect.levensteinDistance(a, b, config)

export const route = (program: Program, args: ReadonlyArray<string>): Request => {
  const helpAsked = helpRequested(args)
  // @effect/cli echoes bad arguments as they are; one that could drive the terminal is refused first.
  const hostile = args.find((arg) => escapeControl(arg) !== arg)
  if (hostile !== undefined) {
    const message = `argument '${escapeControl(hostile)}' contains control characters`
    return { _tag: "UsageError", message, usage: usageOf(program) }
  }
  const [first] = args
  const command = program.commands.find((candidate) => nameOf(candidate) === first)
  if (first !== undefined && !first.startsWith("-") && command === undefined) {
    const names = program.commands.map(nameOf)
    const closest = names.reduce<string | undefined>(
      (best, name) => (best === undefined || distance(first, name) < distance(first, best) ? name : best),
      undefined,
    )
    const hint =
      closest !== undefined && distance(first, closest) <= 2
        ? ` — did you mean '${closest}'?`
        : ` — the commands are ${names.join(", ")}`
    return {
      _tag: "UsageError",
      message: `unknown command '${escapeControl(first)}'${hint}`,
      usage: usageOf(program),
    }
  }
  if (helpAsked) {
    return {
      _tag: "Help",
      text: command === undefined ? programHelp(program) : commandHelp(program, command),
    }
  }
  return { _tag: "Run", usage: usageOf(program, command) }
}
