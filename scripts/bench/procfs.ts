import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"

/** A process's figures as Linux keeps them, read while it runs (they are gone once it is reaped). */

const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100

const readOrUndefined = (file: string) => {
  try {
    return readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}

/** The peak resident set size so far (VmHWM), in MB. */
export const peakRssMb = (pid: number): number | undefined => {
  const kilobytes = readOrUndefined(`/proc/${pid}/status`)?.match(/^VmHWM:\s+(\d+) kB$/m)?.[1]
  return kilobytes === undefined ? undefined : Number(kilobytes) / 1024
}

/** CPU time used so far, user and system (utime + stime), in seconds. */
export const cpuSeconds = (pid: number): number | undefined => {
  const stat = readOrUndefined(`/proc/${pid}/stat`)
  // Fields after the command name, which may hold spaces, in parentheses: utime and stime are 14 and 15.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ")
  return fields === undefined ? undefined : (Number(fields[11]) + Number(fields[12])) / clockTicks
}
