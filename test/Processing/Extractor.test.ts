import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber, Layer, Option, TestClock } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { readPage } from "../../src/Extract/Reading.js"
import { WORKER_HEAP_LIMITS } from "../../src/Processing/ExtractPool.js"
import { EXTRACT_BACKLOG, Extractor, extractorWith } from "../../src/Processing/Extractor.js"
import { htmlBody } from "../support/Bodies.js"
import { configFrom } from "../support/TestConfig.js"

/**
 * Extraction on worker threads (the built worker, dist/src/Extract/ExtractWorker.js): the same
 * contacts as on the main thread, and a page that crashes or hangs its worker fails alone, with a
 * message, while the pages beside it are extracted.
 */

const fixtures = (dir: string, count: number) =>
  fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".html"))
    .slice(0, count)
    .map((file) => fs.readFileSync(path.join(dir, file), "utf8"))

const pages = [
  ...fixtures(path.join(import.meta.dirname, "../fixtures/real"), 24),
  ...fixtures(path.join(import.meta.dirname, "../fixtures/pages"), 8),
]
const options = {
  url: "https://www.example.com.au/contact",
  defaultRegion: "US",
  judgeRender: false,
} as const
const readInline = (html: string) => readPage(htmlBody(html), options)

const faulty = new URL("../support/FaultyExtractWorker.mjs", import.meta.url)
const plain = `<p>Write to <a href="mailto:office@shop.example.com">us</a></p>`
const crash = `<p>wf7-test:crash</p>`
const hang = `<p>wf7-test:hang</p>`

const threads = () => fs.readdirSync("/proc/self/task").length

const extractAll = (htmls: ReadonlyArray<string>) =>
  Effect.flatMap(Extractor, (extractor) =>
    Effect.forEach(htmls, (html) => Effect.exit(extractor.extract(htmlBody(html), options)), {
      concurrency: 16,
    }),
  )

describe("Extractor", () => {
  it.effect(
    "extracts on worker threads the contacts extraction on the main thread finds, each to its page",
    () =>
      Effect.gen(function* () {
        const before = threads()
        const results = yield* Effect.flatMap(extractAll(pages), (exits) =>
          Effect.sync(() => ({ exits, running: threads() })),
        ).pipe(
          Effect.provide(Extractor.Default.pipe(Layer.provide(configFrom({ WF7_EXTRACT_WORKERS: "2" })))),
        )
        expect(results.running).toBeGreaterThanOrEqual(before + 2)
        expect(results.exits).toEqual(pages.map((html) => Exit.succeed(readInline(html))))
        expect(threads()).toBe(before)
      }),
  )

  it.effect("extracts on the main thread with WF7_EXTRACT_WORKERS=0", () =>
    Effect.gen(function* () {
      const before = threads()
      const exits = yield* extractAll(pages.slice(0, 4)).pipe(
        Effect.tap(() => Effect.sync(() => expect(threads()).toBe(before))),
        Effect.provide(Extractor.Default.pipe(Layer.provide(configFrom({ WF7_EXTRACT_WORKERS: "0" })))),
      )
      expect(exits).toEqual(pages.slice(0, 4).map((html) => Exit.succeed(readInline(html))))
    }),
  )

  it.effect(
    "fails a page that crashes its worker with the message, and extracts the pages queued behind it",
    () =>
      Effect.gen(function* () {
        const exits = yield* extractAll([crash, plain, plain, crash, plain]).pipe(
          Effect.provide(extractorWith({ workers: 1, entry: faulty, timeCap: Duration.seconds(30) })),
        )
        const failed = Exit.fail(
          expect.objectContaining({
            _tag: "ExtractFailed",
            message: "extraction worker stopped: the page blew the worker up",
          }),
        )
        const found = Exit.succeed(readInline(plain))
        expect(exits).toEqual([failed, found, found, failed, found])
      }),
  )

  it.effect("runs each worker within its heap limits, its young generation held small", () =>
    Effect.gen(function* () {
      const [exit] = yield* extractAll([`<p>wf7-test:limits</p>`]).pipe(
        Effect.provide(extractorWith({ workers: 1, entry: faulty, timeCap: Duration.seconds(30) })),
      )
      const limits =
        exit !== undefined && Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
      expect(Option.map(limits, (failure) => JSON.parse(failure.message))).toEqual(
        Option.some(expect.objectContaining(WORKER_HEAP_LIMITS)),
      )
    }),
  )

  it.effect(
    "terminates a worker still extracting one page after the time cap, and goes on with the next",
    () =>
      Effect.gen(function* () {
        const extractor = yield* Extractor
        const stuck = yield* Effect.fork(Effect.exit(extractor.extract(htmlBody(hang), options)))
        const next = yield* Effect.fork(extractor.extract(htmlBody(plain), options))
        yield* TestClock.adjust(Duration.seconds(29))
        expect(yield* Fiber.poll(stuck)).toEqual(Option.none())
        yield* TestClock.adjust(Duration.seconds(1))
        expect(yield* Fiber.join(stuck)).toEqual(
          Exit.fail(
            expect.objectContaining({ message: "extraction took longer than 30s; its worker was replaced" }),
          ),
        )
        expect(yield* Fiber.join(next)).toEqual(readInline(plain))
      }).pipe(Effect.provide(extractorWith({ workers: 1, entry: faulty, timeCap: Duration.seconds(30) }))),
  )

  it.effect("holds back new pages while EXTRACT_BACKLOG fetched pages wait for extraction", () =>
    Effect.gen(function* () {
      const extractor = yield* Extractor
      const bodies = [hang, ...Array.from({ length: EXTRACT_BACKLOG - 2 }, () => plain)]
      const waiting = yield* Effect.forEach(bodies, (html) =>
        Effect.fork(Effect.exit(extractor.extract(htmlBody(html), options))),
      )
      yield* Effect.yieldNow()
      // One short of the backlog, pages may still start; the next page fetched closes the room.
      const before = yield* Effect.fork(extractor.room)
      yield* Effect.yieldNow()
      expect(Option.isSome(yield* Fiber.poll(before))).toBe(true)
      const last = yield* Effect.fork(extractor.extract(htmlBody(plain), options))
      yield* Effect.yieldNow()
      const room = yield* Effect.fork(extractor.room)
      yield* Effect.yieldNow()
      expect(yield* Fiber.poll(room)).toEqual(Option.none())
      // The stuck page is cut off at the time cap, and the pages behind it are extracted.
      yield* TestClock.adjust(Duration.seconds(30))
      yield* Fiber.join(room)
      expect(yield* Fiber.join(last)).toEqual(readInline(plain))
      expect((yield* Fiber.joinAll(waiting)).filter(Exit.isSuccess)).toHaveLength(EXTRACT_BACKLOG - 2)
    }).pipe(Effect.provide(extractorWith({ workers: 1, entry: faulty, timeCap: Duration.seconds(30) }))),
  )

  it.effect("decodes each body with its own charset and judges a render on the worker", () =>
    Effect.gen(function* () {
      const extractor = yield* Extractor
      const latin = yield* extractor.extract(
        {
          bytes: Buffer.from("<title>Caf\u00e9 Zo\u00eb</title><p>hello@cafe-zoe.example</p>", "latin1"),
          contentType: "text/html; charset=windows-1252",
        },
        options,
      )
      expect(latin.extraction.businessName).toBe("Caf\u00e9 Zo\u00eb")
      const shell = '<body><div id="root"></div><script src="/static/app.js"></script></body>'
      const judged = yield* extractor.extract(htmlBody(shell), { ...options, judgeRender: true })
      expect(judged.renderReason).toBe("app-shell")
      expect((yield* extractor.extract(htmlBody(shell), options)).renderReason).toBeUndefined()
    }).pipe(Effect.provide(Extractor.Default.pipe(Layer.provide(configFrom({ WF7_EXTRACT_WORKERS: "1" }))))),
  )

  it.effect("refuses to start without the built worker", () =>
    Effect.gen(function* () {
      const entry = new URL("../support/NoSuchWorker.mjs", import.meta.url)
      const exit = yield* Effect.exit(
        Effect.provide(Extractor, extractorWith({ workers: 1, entry, timeCap: Duration.seconds(1) })),
      )
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("extraction worker not found")
    }),
  )
})
