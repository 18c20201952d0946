/**
 * Numbers as a person reads them: rates and ratios to 3 significant digits (whole numbers of 1000 and
 * more stay whole), durations in seconds to the ms.
 */

export const readable = (value: number) =>
  Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(3))

export const seconds = (value: number) => Math.round(value * 1000) / 1000

export const perMinute = (count: number, elapsedSeconds: number) =>
  elapsedSeconds > 0 ? readable((count * 60) / elapsedSeconds) : 0
