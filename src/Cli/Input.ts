import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Data, Effect, Stream } from "effect"
import { text } from "node:stream/consumers"

class StdinError extends Data.TaggedError("StdinError")<{ readonly message: string }> {}

const stdinError = (error: unknown) =>
  new StdinError({ message: `cannot read standard input: ${String(error)}` })

export const readInput = (
  file: string,
): Effect.Effect<string, StdinError | PlatformError, FileSystem.FileSystem> =>
  file === "-"
    ? Effect.tryPromise({ try: () => text(process.stdin), catch: stdinError })
    : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file))

export const inputLines = (file: string) =>
  Stream.unwrap(
    Effect.map(FileSystem.FileSystem, (fs) =>
      file === "-"
        ? NodeStream.fromReadable<StdinError | PlatformError>(() => process.stdin, stdinError)
        : fs.stream(file),
    ),
  ).pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.zipWithIndex,
    Stream.map(([text, index]) => ({ text, line: index + 1 })),
  )
