import { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import { text } from "node:stream/consumers"

/** The text of a file named on the command line, or of standard input for `-`. */
export const readInput = (file: string) =>
  file === "-"
    ? Effect.promise(() => text(process.stdin))
    : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file))
