import { Option, Schema } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { isAlive, stopOrphan } from "./Postmaster.js"

/**
 * `WF7_DATA_DIR/wf7.lock`: which process runs the embedded server and, once it is up, how to reach
 * it. The password stays in its own file (mode 0600); the lock only says where that file is.
 */

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

const readRecord = async (dataDir: string): Promise<LockRecord | undefined> => {
  const text = await fs.readFile(lockFile(dataDir), "utf8").catch(() => "")
  // Earlier versions wrote the pid alone.
  const pid = Number.parseInt(text, 10)
  return Option.getOrElse(decodeRecord(text), () => (pid > 0 ? { pid } : undefined))
}

/** The live process (not this one) that holds the folder; undefined when none does. */
export const readHolder = async (dataDir: string) => {
  const record = await readRecord(dataDir)
  return record !== undefined && record.pid !== process.pid && isAlive(record.pid) ? record : undefined
}

/**
 * Takes the folder for this process, or answers the live process that holds it. A dead holder's
 * server (left by SIGKILL) is stopped and its lock removed first.
 */
export const takeLock = async (dataDir: string): Promise<{ readonly holder?: LockRecord }> => {
  for (;;) {
    try {
      await fs.writeFile(lockFile(dataDir), JSON.stringify({ pid: process.pid }), { flag: "wx" })
      return {}
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error
    }
    const holder = await readHolder(dataDir)
    if (holder !== undefined) return { holder }
    await stopOrphan(path.join(dataDir, "pg"))
    await fs.rm(lockFile(dataDir), { force: true })
  }
}

/** Records how to reach this process's server; replaced whole, so a reader never sees half of it. */
export const publishServer = async (dataDir: string, server: LockedServer) => {
  const next = `${lockFile(dataDir)}.${process.pid}`
  await fs.writeFile(next, JSON.stringify({ pid: process.pid, server } satisfies LockRecord))
  await fs.rename(next, lockFile(dataDir))
}

export const dropLock = (dataDir: string) => fs.rm(lockFile(dataDir), { force: true })
