import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { Slots, type Slot } from "../../src/Processing/Slots.js"
import { configFrom } from "../support/TestConfig.js"

const slots = (max: number) =>
  Slots.Default.pipe(Layer.provide(configFrom({ SCRAPER_API_MAX_CONCURRENT: String(max) })))

/** Takes `count` slots at once and keeps them until `release` completes. */
const holdSlots = (count: number) =>
  Effect.gen(function* () {
    const { withSlot } = yield* Slots
    const release = yield* Deferred.make<void>()
    const slots: Array<Slot> = []
    const fibers = yield* Effect.forEach(Array.from({ length: count }), () =>
      Effect.fork(
        withSlot((slot) =>
          Effect.zipRight(
            Effect.sync(() => slots.push(slot)),
            Deferred.await(release),
          ),
        ),
      ),
    )
    yield* Effect.yieldNow()
    return { slots, done: Effect.zipRight(Deferred.succeed(release, undefined), Fiber.joinAll(fibers)) }
  })

describe("Slots (AIMD)", () => {
  it.effect("never lets more than the limit hold a slot", () =>
    Effect.gen(function* () {
      const held = yield* holdSlots(7)
      expect((yield* (yield* Slots).current).inUse).toBe(3)
      expect(held.slots).toHaveLength(3)
      yield* held.done
      expect((yield* (yield* Slots).current).inUse).toBe(0)
    }).pipe(Effect.provide(slots(3))),
  )

  it.effect(
    "a freed slot goes to the page that waited longest; a page interrupted while waiting takes none",
    () =>
      Effect.gen(function* () {
        const { withSlot, current } = yield* Slots
        const first = yield* holdSlots(1)
        const order: Array<string> = []
        const wait = (name: string) => Effect.fork(withSlot(() => Effect.sync(() => order.push(name))))
        const a = yield* wait("a")
        const b = yield* wait("b")
        const c = yield* wait("c")
        yield* Effect.yieldNow()
        yield* Fiber.interrupt(b)
        yield* first.done
        yield* Fiber.joinAll([a, c])
        expect(order).toEqual(["a", "c"])
        expect((yield* current).inUse).toBe(0)
      }).pipe(Effect.provide(slots(1))),
  )

  it.effect("admits a page to start only while fewer than an eighth of the limit (at least 8) queue", () =>
    Effect.gen(function* () {
      const { admit } = yield* Slots
      const queueing = yield* holdSlots(4 + 7)
      yield* admit
      const full = yield* holdSlots(1)
      const admitted = yield* Effect.fork(admit)
      yield* Effect.yieldNow()
      expect(admitted.unsafePoll()).toBeNull()
      yield* queueing.done
      yield* Fiber.join(admitted)
      yield* full.done
    }).pipe(Effect.provide(slots(4))),
  )

  it.effect("halves once per window: the 429s of requests already in flight do not halve again", () =>
    Effect.gen(function* () {
      const { rateLimited, current } = yield* Slots
      const held = yield* holdSlots(10)
      for (const slot of held.slots) yield* rateLimited(slot)
      expect((yield* current).limit).toBe(5)
      yield* held.done
      const next = yield* holdSlots(5)
      yield* rateLimited(next.slots[0]!)
      expect((yield* current).limit).toBe(2)
      yield* next.done
    }).pipe(Effect.provide(slots(10))),
  )

  it.effect("never goes below one slot", () =>
    Effect.gen(function* () {
      const { rateLimited, current } = yield* Slots
      for (let round = 0; round < 6; round++) {
        const held = yield* holdSlots(1)
        yield* rateLimited(held.slots[0]!)
        yield* held.done
      }
      expect((yield* current).limit).toBe(1)
    }).pipe(Effect.provide(slots(10))),
  )

  it.effect("a window of successes raises the limit by one, up to the maximum and the plan's limit", () =>
    Effect.gen(function* () {
      const { rateLimited, succeeded, capAt, current } = yield* Slots
      const held = yield* holdSlots(1)
      yield* rateLimited(held.slots[0]!)
      yield* held.done
      expect((yield* current).limit).toBe(4)
      for (let i = 0; i < 4; i++) yield* succeeded
      expect((yield* current).limit).toBe(5)
      for (let i = 0; i < 200; i++) yield* succeeded
      expect((yield* current).limit).toBe(8)
      yield* capAt(6)
      expect((yield* current).limit).toBe(6)
      for (let i = 0; i < 200; i++) yield* succeeded
      expect((yield* current).limit).toBe(6)
    }).pipe(Effect.provide(slots(8))),
  )

  it.effect("a 429 storm converges near the upstream limit instead of spiralling", () =>
    Effect.gen(function* () {
      const { rateLimited, succeeded, current } = yield* Slots
      const upstreamLimit = 4
      const served: Array<number> = []
      for (let round = 0; round < 300; round++) {
        const { limit } = yield* current
        const held = yield* holdSlots(limit)
        for (const [index, slot] of held.slots.entries()) {
          yield* index < upstreamLimit ? succeeded : rateLimited(slot)
        }
        served.push(Math.min(limit, upstreamLimit))
        yield* held.done
      }
      const last = served.slice(-100)
      const mean = last.reduce((sum, value) => sum + value, 0) / last.length
      expect(mean).toBeGreaterThanOrEqual(3)
      expect((yield* current).limit).toBeGreaterThanOrEqual(2)
      expect((yield* current).limit).toBeLessThanOrEqual(5)
    }).pipe(Effect.provide(slots(10))),
  )
})

describe("Slots.capTo", () => {
  it.effect("an external cap bounds the slots held until it is lifted, whatever the AIMD limit", () =>
    Effect.gen(function* () {
      const { capTo, current } = yield* Slots
      yield* capTo(2)
      const held = yield* holdSlots(5)
      expect(held.slots).toHaveLength(2)
      expect(yield* current).toMatchObject({ limit: 2, inUse: 2 })
      yield* capTo(undefined)
      yield* Effect.repeatN(Effect.yieldNow(), 20)
      expect(held.slots).toHaveLength(5)
      expect((yield* current).limit).toBe(8)
      yield* held.done
    }).pipe(Effect.provide(slots(8))),
  )
})
