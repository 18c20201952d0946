import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { cpuSeconds, peakRssMb } from "../../scripts/bench/procfs.js"

/** The bench's per-process figures, read from this very process and checked against Node's own. */
describe("bench: a process's figures from /proc", () => {
  it("the peak RSS is at least the RSS now", () => {
    const rssMb = process.memoryUsage().rss / 1024 / 1024
    expect(peakRssMb(process.pid)).toBeGreaterThanOrEqual(rssMb * 0.99)
  })

  it("the CPU time is user plus system time, to the clock tick", () => {
    const deadline = Date.now() + 200
    while (Date.now() < deadline); // burn some CPU so the figures are not all zero
    const { user, system } = process.cpuUsage()
    const expected = (user + system) / 1e6
    expect(Math.abs((cpuSeconds(process.pid) ?? 0) - expected)).toBeLessThan(0.05)
  })

  it("nothing for a process that is gone", () => {
    const { pid } = spawnSync("true")
    expect([peakRssMb(pid ?? 0), cpuSeconds(pid ?? 0)]).toEqual([undefined, undefined])
  })
})
