import { Effect, Option, Schema } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { attempt, readIfPresent, type EmbeddedPostgresError } from "./Errors.js"
import { isAlive, stopOrphan } from "./Postmaster.js"

/** `WF7_DATA_DIR/wf7.lock`: which process runs the embedded server and how to reach it (not its password). */

export const LockedServer = Schema.Struct({
  host: Schema.String,
  port: Schema.Int,
  username: Schema.String,
  database: Schema.String,
  passwordFile: Schema.String,
})
export type LockedServer = typeof LockedServer.Type

const LockRecord = Schema.Struct({ pid: Schema.Int, server: Schema.optional(LockedServer) })
type LockRecord = typeof LockRecord.Type

const decodeRecord = Schema.decodeUnknownOption(Schema.parseJson(LockRecord))

const lockFile = (dataDir: string) => path.join(dataDir, "wf7.lock")

const readRecord = (dataDir: string) =>
  readIfPresent(lockFile(dataDir)).pipe(
    Effect.map((text): LockRecord | undefined => {
      // Earlier versions wrote the pid alone.
      const pid = Number.parseInt(text, 10)
      return Option.getOrElse(decodeRecord(text), () => (pid > 0 ? { pid } : undefined))
    }),
  )

export const readHolder = (dataDir: string) =>
  Effect.map(readRecord(dataDir), (record) =>
    record !== undefined && record.pid !== process.pid && isAlive(record.pid) ? record : undefined,
  )

const exists = (error: unknown) => error instanceof Error && "code" in error && error.code === "EEXIST"

const createLock = (dataDir: string) =>
  attempt(`cannot create ${lockFile(dataDir)}`, () =>
    fs.writeFile(lockFile(dataDir), JSON.stringify({ pid: process.pid }), { flag: "wx" }).then(
      () => true,
      (error: unknown) => (exists(error) ? false : Promise.reject(error)),
    ),
  )

export const dropLock = (dataDir: string) => Effect.promise(() => fs.rm(lockFile(dataDir), { force: true }))

/** Takes the folder (undefined), or answers its live holder; a dead holder's server is stopped first. */
export const takeLock = (dataDir: string): Effect.Effect<LockRecord | undefined, EmbeddedPostgresError> =>
  Effect.gen(function* () {
    if (yield* createLock(dataDir)) return undefined
    const holder = yield* readHolder(dataDir)
    if (holder !== undefined) return holder
    yield* stopOrphan(path.join(dataDir, "pg"))
    yield* dropLock(dataDir)
    return yield* takeLock(dataDir)
  })

/** Records how to reach this process's server; replaced whole, so a reader never sees half of it. */
export const publishServer = (dataDir: string, server: LockedServer) =>
  attempt("cannot publish the server in the lock", async () => {
    const next = `${lockFile(dataDir)}.${process.pid}`
    await fs.writeFile(next, JSON.stringify({ pid: process.pid, server } satisfies LockRecord))
    await fs.rename(next, lockFile(dataDir))
  })
