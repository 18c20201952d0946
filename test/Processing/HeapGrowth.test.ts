import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from "../../src/Processing/HeapGrowth.js"

/** The engine's bound on V8's old-generation growth, and an operator's own kept. */

describe("HeapGrowth", () => {
  it("bounds the old generation's growth when node was given no bound of its own", () => {
    expect(heapGrowthFlag(["--enable-source-maps"], "--max-semi-space-size=4")).toBe(
      `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    )
    expect(heapGrowthFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  })

  it("keeps an operator's own, on node's command line or in NODE_OPTIONS, in either spelling", () => {
    expect(heapGrowthFlag(["--heap-growing-percent=80"], undefined)).toBeUndefined()
    expect(heapGrowthFlag([], "--enable-source-maps --heap_growing_percent=0")).toBeUndefined()
  })

  it("is a flag this V8 knows: an unknown one is reported and ignored", () => {
    const stderrOf = (flag: string) =>
      spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString(${JSON.stringify(flag)})`], {
        encoding: "utf8",
      }).stderr
    expect(stderrOf("--heap-growing-percentage=9")).toContain("unrecognized flag")
    expect(stderrOf(heapGrowthFlag([], undefined) ?? "")).toBe("")
  })
})
