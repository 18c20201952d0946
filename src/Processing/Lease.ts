import { Duration, Effect, Exit, Fiber, Schedule } from "effect"
import { AppConfig } from "../Config.js"
import { Fleet } from "../Fleet/Fleet.js"
import type { ClaimedPage } from "../Domain/Page.js"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { retryDatabase } from "../Pages/RetryDatabase.js"

/**
 * This node's hold on pages: its identity (the lease owner), claims, a heartbeat that renews the
 * leases of the pages it holds and rescues those whose worker stopped renewing, and, when its scope
 * closes, the pages it still holds released to the queue with their attempt refunded.
 */

export class Lease extends Effect.Service<Lease>()("Processing/Lease", {
  scoped: Effect.gen(function* () {
    const config = yield* AppConfig
    const repo = yield* PagesRepo
    const fleet = yield* Fleet
    // The lease owner is the fleet's node id: a dead node's leases are the ones its peers rescue.
    const owner = fleet.owner
    const seconds = config.leaseSeconds
    // Read and changed only between yields; a claim or a finished page touches one entry.
    const held = new Map<string, ClaimedPage>()

    const claim = Effect.fn("Lease.claim")(function* (limit: number) {
      const claimed = yield* retryDatabase(repo.claim(owner, limit, seconds))
      for (const page of claimed) held.set(page.id, page)
      yield* fleet.claimed(held.size)
      return claimed
    })

    const done = (page: ClaimedPage) =>
      Effect.suspend(() => {
        held.delete(page.id)
        return fleet.claimed(held.size)
      })

    const release = (page: ClaimedPage, credits: number) =>
      retryDatabase(repo.release([page], credits)).pipe(Effect.ensuring(done(page)))

    const rescue = retryDatabase(repo.rescue(config.retryAttempts)).pipe(
      Effect.tap((rescued) =>
        rescued.length === 0
          ? Effect.void
          : Effect.logWarning(`rescued ${rescued.length} pages whose worker stopped renewing their lease`),
      ),
    )

    const heartbeat = Effect.gen(function* () {
      if (held.size > 0) yield* retryDatabase(repo.renew(owner, [...held.keys()], seconds))
      yield* rescue
    })

    const releaseHeld = Effect.gen(function* () {
      const leftover = [...held.values()]
      if (leftover.length === 0) return
      const released = yield* repo
        .release(leftover)
        .pipe(Effect.interruptible, Effect.timeout(Duration.seconds(10)), Effect.exit)
      held.clear()
      yield* Exit.match(released, {
        onSuccess: (count) => Effect.logWarning(`released ${count} unfinished pages to the queue`),
        onFailure: (cause) =>
          Effect.logError(
            `could not release ${leftover.length} unfinished pages; they return to the queue when their lease expires (WF7_LEASE_SECONDS=${seconds})`,
            cause,
          ),
      })
    })

    const interval = Duration.seconds(Math.max(seconds / 3, 0.05))
    // A beat held up for a whole interval (no free connection, a locked row) says so: leases may lapse.
    const late = Effect.zipRight(
      Effect.sleep(interval),
      Effect.suspend(() =>
        Effect.logWarning(
          `lease heartbeat has not completed for ${Duration.format(interval)} (WF7_LEASE_SECONDS/3): leases may expire and their pages be rescued`,
        ).pipe(Effect.annotateLogs({ held: held.size })),
      ),
    )
    const beat = Effect.flatMap(Effect.fork(late), (warning) =>
      Effect.ensuring(heartbeat, Fiber.interrupt(warning)),
    )

    yield* Effect.addFinalizer(() => releaseHeld)
    // Each beat is guarded: a statement the database refuses once must not end the renewals for good.
    yield* beat.pipe(
      Effect.catchAllCause((cause) => Effect.logError("lease heartbeat failed", cause)),
      Effect.repeat(Schedule.spaced(interval)),
      Effect.forkScoped,
    )

    return { owner, claim, done, release, rescue, held: Effect.sync(() => held.size) } as const
  }),
  dependencies: [PagesRepo.Default],
}) {}
