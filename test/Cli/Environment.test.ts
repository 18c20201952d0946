import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigError, ConfigProvider, Effect, HashSet } from "effect"
import * as PathPatch from "effect/ConfigProviderPathPatch"
import * as fs from "node:fs/promises"
import { environmentOf, variables } from "../../src/Cli/Environment.js"
import { DatabaseConfig, SettingsConfig } from "../../src/Config.js"
import { LoggingConfig } from "../../src/Logging.js"

const everything = Config.all([DatabaseConfig, SettingsConfig, LoggingConfig])

/** The variables a config asks for: a provider that records each name and finds nothing. */
const namesRead = (config: Config.Config<unknown>) => {
  const names = new Set<string>()
  const recorder = ConfigProvider.fromFlat(
    ConfigProvider.makeFlat({
      load: (path) => {
        names.add(path.join("."))
        return Effect.fail(ConfigError.MissingData([...path], "unset"))
      },
      enumerateChildren: () => Effect.succeed(HashSet.empty()),
      patch: PathPatch.empty,
    }),
  )
  Effect.runSync(Effect.either(Effect.withConfigProvider(config, recorder)))
  return [...names].sort()
}

/** `# NAME=default` lines of .env.example, a name with an empty value meaning "unset". */
const example = async () => {
  const text = await fs.readFile(new URL("../../.env.example", import.meta.url), "utf8")
  return [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => ({ name, value }))
}

describe("the documented environment", () => {
  it("names every variable Config.ts and Logging.ts read, and no other", () => {
    expect(variables.map((variable) => variable.name).sort()).toEqual(namesRead(everything))
  })

  it("states the defaults the code applies", () =>
    Effect.gen(function* () {
      const written = variables.flatMap((variable) =>
        variable.fallback === undefined ? [] : [[variable.name, variable.fallback] as const],
      )
      const load = (entries: ReadonlyArray<readonly [string, string]>) =>
        Effect.withConfigProvider(everything, ConfigProvider.fromMap(new Map(entries)))
      expect(yield* load(written)).toEqual(yield* load([]))
    }).pipe(Effect.runPromise))

  it(".env.example lists each variable once with its default, in the same order", async () => {
    expect(await example()).toEqual(
      variables.map((variable) => ({ name: variable.name, value: variable.fallback ?? "" })),
    )
  })

  it("gives each command the logging variables, and the database to a command added later", () => {
    expect(environmentOf("sandbox").map((variable) => variable.name)).toEqual([
      "WF7_LOG_LEVEL",
      "WF7_LOG_FORMAT",
    ])
    expect(environmentOf("some-new-command").map((variable) => variable.name)).toContain("DATABASE_URL")
  })
})
