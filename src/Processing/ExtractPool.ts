import { Clock, Data, Deferred, Duration, Effect, Exit } from "effect"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import { makeArena, type PostedBody } from "../Extract/Arena.js"
import type { PageBody } from "../Extract/Decode.js"
import type { ExtractJob, ExtractReply } from "../Extract/ExtractWorker.js"
import type { PageReading, ReadOptions } from "../Extract/Reading.js"

/**
 * Extraction on worker threads, so that the main thread only posts pages and takes back their
 * contacts. Each worker has at most POSTED_PER_WORKER pages posted to it, extracted in order, and the
 * pool keeps at most QUEUED_PER_WORKER more per worker waiting; a caller beyond that waits
 * (backpressure). A worker that dies (a crash, its heap limit) fails the page it was extracting and
 * is replaced, and the pages posted behind it go to its replacement. A page still extracting after
 * the time cap has its worker terminated and fails with that message. Bodies wait in an arena shared
 * with the workers (Extract/Arena.ts) until their page settles, so a replacement reads them there too.
 */

export class ExtractFailed extends Data.TaggedError("ExtractFailed")<{ readonly message: string }> {}

export interface PoolOptions {
  readonly workers: number
  readonly entry: URL
  readonly timeCap: Duration.Duration
}

// Deep: a worker sat idle between the turns of a busy main thread (C = 1000: 4 gave 66 pages/s, 512 gives 540).
const POSTED_PER_WORKER = 512
const QUEUED_PER_WORKER = 64
/**
 * A worker's heap: a hostile page ends its worker at the old generation's limit rather than the whole
 * process. Its garbage is short-lived (one page's parse), so a young generation of 12 MB collects it as
 * well as V8's default 48 MB, whose 32 MB of semi-spaces stay resident: peak RSS at C = 1000 about 25 MB
 * lower (400-408 MB to 373-388), at the same pages/s.
 */
export const WORKER_HEAP_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 12 } as const
// One look a second at every worker, rather than a timer per page: the cap is kept to within a second.
const CHECK_EVERY = Duration.seconds(1)

interface Job {
  readonly body: PostedBody
  readonly options: ReadOptions
  readonly done: Deferred.Deferred<PageReading, ExtractFailed>
}

interface Lane {
  worker: Worker | undefined
  /** In the order posted: the first is the one being extracted. */
  readonly jobs: Array<Job>
  /** When the first of `jobs` started extracting. */
  since: number
  /** Why the pool is terminating the worker, while it does. */
  stopping: string | undefined
}

export const makeExtractPool = (options: PoolOptions) =>
  Effect.gen(function* () {
    const entryPath = fileURLToPath(options.entry)
    if (!existsSync(entryPath)) {
      return yield* Effect.dieMessage(`extraction worker not found: ${entryPath} (npm run build makes it)`)
    }
    const clock = yield* Clock.clockWith(Effect.succeed)
    const arena = makeArena()
    const permits = yield* Effect.makeSemaphore(options.workers * (POSTED_PER_WORKER + QUEUED_PER_WORKER))
    const waiting: Array<Job> = []
    const lanes: Array<Lane> = Array.from({ length: options.workers }, () => ({
      worker: undefined,
      jobs: [],
      since: 0,
      stopping: undefined,
    }))
    let closed = false
    const overTime = `extraction took longer than ${Duration.format(options.timeCap)}; its worker was replaced`

    const settle = (job: Job, exit: Exit.Exit<PageReading, ExtractFailed>) => {
      arena.release(job.body)
      Deferred.unsafeDone(job.done, exit)
    }

    // The cap counts from when a page reaches the head of its worker's queue, not from when it was posted.
    const begin = (lane: Lane) => {
      lane.since = clock.unsafeCurrentTimeMillis()
    }

    const capMillis = Duration.toMillis(options.timeCap)
    const stopOverrunning = () => {
      const now = clock.unsafeCurrentTimeMillis()
      for (const lane of lanes) {
        if (lane.worker === undefined || lane.jobs.length === 0 || lane.stopping !== undefined) continue
        if (now - lane.since < capMillis) continue
        lane.stopping = overTime
        void lane.worker.terminate()
      }
    }
    // Checks only while pages are posted: an idle pool sets no timer (nor slows a TestClock leaping days).
    const busy = yield* Effect.makeLatch(false)
    const watch = Effect.zipRight(
      busy.await,
      Effect.delay(
        Effect.sync(() => {
          stopOverrunning()
          if (lanes.every((lane) => lane.jobs.length === 0)) busy.unsafeClose()
        }),
        CHECK_EVERY,
      ),
    )
    yield* Effect.forkScoped(Effect.forever(watch))

    const start = (lane: Lane): Worker => {
      const worker = new Worker(options.entry, {
        resourceLimits: WORKER_HEAP_LIMITS,
        workerData: { arena: arena.buffer },
      })
      let crash: string | undefined
      worker.on("message", (reply: ExtractReply) => {
        // A page that finishes while its worker is being terminated still counts as over time.
        if (lane.worker !== worker || lane.stopping !== undefined) return
        const job = lane.jobs.shift()
        if (job === undefined) return
        settle(
          job,
          "reading" in reply
            ? Exit.succeed(reply.reading)
            : Exit.fail(new ExtractFailed({ message: reply.error })),
        )
        begin(lane)
        refill(lane, worker)
      })
      worker.on("error", (error) => {
        crash = error.message
      })
      worker.on("exit", (code) => {
        if (closed || lane.worker !== worker) return
        const message = lane.stopping ?? `extraction worker stopped: ${crash ?? `exit code ${code}`}`
        lane.worker = undefined
        lane.stopping = undefined
        const job = lane.jobs.shift()
        if (job !== undefined) settle(job, Exit.fail(new ExtractFailed({ message })))
        // Restarted for the pages still waiting only: a worker that cannot start is not restarted in a loop.
        if (lane.jobs.length === 0 && waiting.length === 0) return
        const replacement = start(lane)
        for (const posted of lane.jobs) send(replacement, posted)
        begin(lane)
        refill(lane, replacement)
      })
      lane.worker = worker
      return worker
    }

    // A body that did not fit in the arena is copied, not moved: a worker that dies takes what was
    // posted to it, and its replacement is posted the same pages again.
    const send = (worker: Worker, { body, options }: Job) => {
      const job: ExtractJob = { body, options }
      worker.postMessage(job)
    }
    const postTo = (lane: Lane, worker: Worker, job: Job) => {
      lane.jobs.push(job)
      send(worker, job)
      busy.unsafeOpen()
      if (lane.jobs.length === 1) begin(lane)
    }

    // Right as an answer arrives, not through the fiber scheduler: a busy main thread would starve the worker.
    const refill = (lane: Lane, worker: Worker) => {
      while (lane.jobs.length < POSTED_PER_WORKER) {
        const job = waiting.shift()
        if (job === undefined) return
        postTo(lane, worker, job)
      }
    }

    const post = (job: Job) => {
      const lane = lanes.reduce((least, lane) => (lane.jobs.length < least.jobs.length ? lane : least))
      if (lane.jobs.length >= POSTED_PER_WORKER) waiting.push(job)
      else postTo(lane, lane.worker ?? start(lane), job)
    }

    yield* Effect.addFinalizer(() =>
      Effect.promise(() => {
        closed = true
        for (const job of [...waiting.splice(0), ...lanes.flatMap((lane) => lane.jobs.splice(0))]) {
          settle(job, Exit.fail(new ExtractFailed({ message: "extraction stopped: shutting down" })))
        }
        return Promise.all(lanes.map((lane) => lane.worker?.terminate()))
      }),
    )

    const extract = (body: PageBody, options: ReadOptions) =>
      permits.withPermits(1)(
        Effect.flatMap(Deferred.make<PageReading, ExtractFailed>(), (done) =>
          Effect.zipRight(
            Effect.sync(() => post({ body: arena.take(body), options, done })),
            Deferred.await(done),
          ),
        ),
      )
    return { extract } as const
  })
