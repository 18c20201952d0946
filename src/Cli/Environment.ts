import byGroup from "./Environment.json" with { type: "json" }

/**
 * What each environment variable means and its default (Environment.json), for `--help` and `.env.example`
 * (a test keeps that list, `.env.example` and the variables `Config.ts` reads the same).
 */

const groupNames = ["database", "fetch", "processing", "extract", "api", "tracing", "logging"] as const
export type Group = (typeof groupNames)[number]

interface Variable {
  readonly name: string
  readonly group: Group
  /** The default as an operator would write it in `.env`; undefined when unset means something. */
  readonly fallback: string | undefined
  readonly meaning: string
}

const table: Record<
  Group,
  ReadonlyArray<{ name: string; fallback: string | null; meaning: string }>
> = byGroup

export const variables: ReadonlyArray<Variable> = groupNames.flatMap((group) =>
  table[group].map(({ name, fallback, meaning }) => ({
    name,
    group,
    fallback: fallback ?? undefined,
    meaning,
  })),
)

const everything: ReadonlyArray<Group> = ["database", "fetch", "processing", "extract", "api", "tracing"]

// A command not listed (one added later) reads the database settings, as most commands do.
const groupsOf: Record<string, ReadonlyArray<Group>> = {
  daemon: everything,
  drain: ["database", "fetch", "processing", "extract", "tracing"],
  demo: ["processing", "extract"],
  extract: ["extract"],
  sandbox: [],
}

export const environmentOf = (command: string): ReadonlyArray<Variable> => {
  const groups = groupsOf[command] ?? ["database"]
  return variables.filter((variable) => variable.group === "logging" || groups.includes(variable.group))
}
