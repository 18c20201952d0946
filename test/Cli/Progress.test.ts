import { describe, expect, it } from "@effect/vitest"
import { formatDuration, progressLine, wantsLiveLine } from "../../src/Cli/Progress.js"

describe("drain's live line", () => {
  it("shows done / total, pages per minute, contacts, errors and the time left", () => {
    expect(progressLine({ done: 120, remaining: 380, contacts: 241, errors: 3, elapsedSeconds: 200 })).toBe(
      "drain: 120/500 pages, 36 pages/min, 241 contacts, 3 errors, ETA 10m 34s",
    )
  })

  it("has no ETA before the first page, and none left at the end", () => {
    expect(progressLine({ done: 0, remaining: 40, contacts: 0, errors: 0, elapsedSeconds: 3 })).toBe(
      "drain: 0/40 pages, 0 pages/min, 0 contacts, 0 errors, ETA unknown",
    )
    expect(progressLine({ done: 7, remaining: 0, contacts: 1, errors: 1, elapsedSeconds: 9 })).toBe(
      "drain: 7/7 pages, 46.7 pages/min, 1 contact, 1 error, ETA 0s",
    )
  })

  it("writes durations as a person reads them", () => {
    expect([9, 59.2, 60, 250, 3599, 3600, 3 * 3600 + 5 * 60].map(formatDuration)).toEqual([
      "9s",
      "1m 00s",
      "1m 00s",
      "4m 10s",
      "59m 59s",
      "1h 00m",
      "3h 05m",
    ])
  })

  it("is drawn only on a terminal, and never when logs are asked for as JSON", () => {
    expect(wantsLiveLine(true, "pretty")).toBe(true)
    expect(wantsLiveLine(true, "logfmt")).toBe(true)
    expect(wantsLiveLine(true, "json")).toBe(false)
    expect(wantsLiveLine(false, "pretty")).toBe(false)
  })
})
