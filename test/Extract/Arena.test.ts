import { describe, expect, it } from "@effect/vitest"
import { BLOCK_BYTES, bodyIn, makeArena } from "../../src/Extract/Arena.js"
import { htmlBody } from "../support/Bodies.js"

/**
 * The arena where bodies wait for extraction: each body in the lowest free blocks, read back whole by
 * a worker, its blocks free again once released, and the bytes it came in freed as it is taken.
 */

const page = (size: number) => htmlBody("x".repeat(size))
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8")

describe("Arena", () => {
  it("holds each body in the lowest free blocks, and a worker reads it back whole", () => {
    const arena = makeArena(16 * BLOCK_BYTES)
    const first = arena.take(htmlBody(`<p>first ${"a".repeat(BLOCK_BYTES)}</p>`))
    const second = arena.take(htmlBody("<p>second</p>"))
    expect(first).toMatchObject({ at: 0, contentType: "text/html; charset=utf-8" })
    expect(second).toMatchObject({ at: 2 * BLOCK_BYTES })
    expect(text(bodyIn(arena.buffer, second).bytes)).toBe("<p>second</p>")
    expect(text(bodyIn(arena.buffer, first).bytes)).toBe(`<p>first ${"a".repeat(BLOCK_BYTES)}</p>`)
  })

  it("gives a released body's blocks to the next, so the arena in use stays at the bottom", () => {
    const arena = makeArena(16 * BLOCK_BYTES)
    const first = arena.take(page(3 * BLOCK_BYTES))
    arena.take(page(10))
    arena.release(first)
    expect(arena.take(page(2 * BLOCK_BYTES))).toMatchObject({ at: 0 })
    expect(arena.take(page(10))).toMatchObject({ at: 2 * BLOCK_BYTES })
    expect(arena.take(page(10))).toMatchObject({ at: 4 * BLOCK_BYTES })
  })

  it("frees the bytes it takes, without waiting for a collection", () => {
    const body = page(50_000)
    makeArena(16 * BLOCK_BYTES).take(body)
    expect(body.bytes.buffer.byteLength).toBe(0)
  })

  it("never frees bytes that share their buffer, such as a pooled Buffer's", () => {
    const pooled = Buffer.from("<p>small</p>")
    const neighbour = Buffer.from("<p>beside it</p>")
    expect(pooled.buffer).toBe(neighbour.buffer)
    const arena = makeArena(16 * BLOCK_BYTES)
    const posted = arena.take({ bytes: pooled, contentType: undefined })
    expect(text(bodyIn(arena.buffer, posted).bytes)).toBe("<p>small</p>")
    expect(neighbour.toString()).toBe("<p>beside it</p>")
  })

  it("hands back a body that does not fit as it is, to be posted as bytes", () => {
    const arena = makeArena(4 * BLOCK_BYTES)
    arena.take(page(2 * BLOCK_BYTES))
    const large = page(3 * BLOCK_BYTES)
    const posted = arena.take(large)
    expect(posted).toBe(large)
    expect(bodyIn(arena.buffer, posted).bytes.length).toBe(3 * BLOCK_BYTES)
  })
})
