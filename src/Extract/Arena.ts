import type { PageBody } from "./Decode.js"

/**
 * Memory shared with the extraction workers, where a page's body waits from when it is posted until
 * its extraction settles; a worker reads it in place. A body the main thread held that long outlived
 * the young generation, and its bytes were freed only by the next full collection: at C = 1000, 60-80 MB
 * of extracted bodies waited for one. Here a body's blocks are free again as soon as its page settles,
 * and the bytes it came in are freed as it is taken. The lowest free blocks are taken first, so only
 * as much of the arena is ever resident as was in use at once. A body that does not fit is posted as
 * its bytes, as before.
 */

/** Where a body sits in the arena: `length` bytes from `at`. */
export interface Placed {
  readonly at: number
  readonly length: number
  readonly contentType: string | undefined
}

/** A body as posted to a worker: in the arena, or its bytes when it did not fit. */
export type PostedBody = Placed | PageBody

export const ARENA_BYTES = 64 * 1024 * 1024
export const BLOCK_BYTES = 4 * 1024

const blocksOf = (length: number) => Math.max(1, Math.ceil(length / BLOCK_BYTES))

/**
 * Frees bytes now rather than at a full collection: their ArrayBuffer is detached (moved into a copy
 * nothing holds, which the next young collection frees). Only when they are its only view, so a
 * pooled Buffer's neighbours are never touched.
 */
const free = ({ buffer, byteOffset, byteLength }: Uint8Array) => {
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength)
    structuredClone(buffer, { transfer: [buffer] })
}

export const makeArena = (bytes: number = ARENA_BYTES) => {
  const buffer = new SharedArrayBuffer(bytes)
  const used = new Uint8Array(Math.floor(bytes / BLOCK_BYTES))

  /**
   * The body, copied into the lowest run of free blocks that holds it, its own bytes freed; or the
   * body as it is when no run does. Either way the caller hands the bytes over: read them before.
   */
  const take = (body: PageBody): PostedBody => {
    const { length } = body.bytes
    const need = blocksOf(length)
    let run = 0
    for (let block = 0; block < used.length; block++) {
      run = used[block] === 1 ? 0 : run + 1
      if (run < need) continue
      const first = block - need + 1
      used.fill(1, first, block + 1)
      const at = first * BLOCK_BYTES
      new Uint8Array(buffer, at, length).set(body.bytes)
      free(body.bytes)
      return { at, length, contentType: body.contentType }
    }
    return body
  }

  const release = (body: PostedBody) => {
    if (!("at" in body)) return
    const first = body.at / BLOCK_BYTES
    used.fill(0, first, first + blocksOf(body.length))
  }

  return { buffer, take, release } as const
}

/** A posted body as a worker reads it: in place in the arena (`workerData.arena`), or as it came. */
export const bodyIn = (arena: SharedArrayBuffer, body: PostedBody): PageBody =>
  "at" in body ? { bytes: new Uint8Array(arena, body.at, body.length), contentType: body.contentType } : body
