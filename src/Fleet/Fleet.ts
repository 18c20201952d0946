import { Clock, Duration, Effect, Option, Queue, Ref } from "effect"
import { randomUUID } from "node:crypto"
import * as os from "node:os"
import { AppConfig } from "../Config.js"
import { PagesRepo } from "../Pages/PagesRepo.js"
import { VERSION } from "../Version.js"
import { FleetSlots } from "./FleetSlots.js"
import { NodesRepo, type FleetRow, type LiveNode } from "./NodesRepo.js"
import { fairShares, nextGrant } from "./Share.js"

/**
 * This process as a node of the fleet: registered at start, a heartbeat every third of the node timeout,
 * gone on a clean exit. Each heartbeat takes its fair share of the account-wide limit by demand, rescues
 * dead nodes' leases and reads the credits pause. A node that cannot heartbeat for the timeout grants
 * itself nothing (self-fencing): by then the others count its share as free.
 */

const wallClock = Clock.make()

interface FleetPause {
  readonly until: Date
  readonly reason: string
  /** Whether the node that set it still heartbeats: a pause left by a gone node is checked, not obeyed. */
  readonly byLiveNode: boolean
}

export class Fleet extends Effect.Service<Fleet>()("Fleet/Fleet", {
  scoped: Effect.gen(function* () {
    const { nodeTimeoutSeconds: timeout, accountConcurrency, retryAttempts } = yield* AppConfig
    const repo = yield* NodesRepo
    const pages = yield* PagesRepo
    const slots = yield* FleetSlots
    const host = os.hostname()
    const identity = {
      id: `${host}:${process.pid}:${randomUUID().slice(0, 8)}`,
      host,
      pid: process.pid,
      version: VERSION,
    }
    const interval = timeout / 3
    const accountLimit = yield* Ref.make(Option.getOrUndefined(accountConcurrency))
    const claimed = yield* Ref.make(0)
    // The most pages claimed at once since the last heartbeat: between two claims the count dips.
    const peak = yield* Ref.make(0)
    const grant = yield* Ref.make<number | undefined>(undefined)
    const paused = yield* Ref.make<FleetPause | undefined>(undefined)
    const lastBeat = yield* Ref.make(yield* Clock.currentTimeMillis)
    const fenced = yield* Ref.make(false)
    const lock = yield* Effect.makeSemaphore(1)
    const wakes = yield* Queue.dropping<void>(1)
    const wake = Queue.offer(wakes, undefined).pipe(Effect.asVoid)
    const { capTo } = slots

    /** This node's grant under the fleet's limit; lowered locally before the others may see the room. */
    const allot = (fleet: FleetRow, live: ReadonlyArray<LiveNode>, now: Date, demand: number) =>
      Effect.gen(function* () {
        if (fleet.shared_limit === null) return undefined
        const others = live.filter((node) => node.id !== identity.id)
        const fair =
          fairShares(fleet.shared_limit, [...others, { id: identity.id, demand }]).get(identity.id) ?? 0
        const current = (yield* Ref.get(grant)) ?? 0
        const othersHold = others.reduce((sum, node) => sum + Math.max(node.share ?? 0, node.slots_held), 0)
        const next = nextGrant({ current, fair, limit: fleet.shared_limit, othersHold })
        if (next < current) yield* capTo(next)
        if (demand > next) yield* repo.raise(now, interval)
        return next
      })

    const rescueDead = (expired: number) =>
      expired === 0
        ? Effect.void
        : Effect.flatMap(pages.rescue(retryAttempts), (rescued) =>
            Effect.logWarning(`rescued ${rescued.length} pages of nodes that stopped heartbeating`).pipe(
              Effect.annotateLogs({ timeoutSeconds: timeout }),
            ),
          )

    const beat = Effect.gen(function* () {
      const sentAt = yield* Clock.currentTimeMillis
      const own = yield* Ref.get(accountLimit)
      const { fleet, live, now, share, expired } = yield* repo.withFleetLock(
        Effect.gen(function* () {
          // Stamped once the lock is held: a beat that queued behind others is not already stale.
          const now = new Date(yield* Clock.currentTimeMillis)
          if (own !== undefined) yield* repo.setAccountLimit(own)
          const fleet = yield* repo.fleetRow
          // Needed for the shares, or to tell whether the node that paused the fleet is still there.
          const live =
            fleet.shared_limit === null && fleet.paused_by === null
              ? []
              : yield* repo.liveNodes({ now, timeoutSeconds: timeout })
          const before = yield* slots.current
          // A slot per claimed page, up to the adaptive limit: the engine claims ahead as its share grows.
          const demand = Math.min(yield* Ref.getAndSet(peak, yield* Ref.get(claimed)), before.wanted)
          const share = yield* allot(fleet, live, now, demand)
          const after = yield* slots.current
          const pause = fleet.paused_until !== null && fleet.paused_until > now
          const report = {
            id: identity.id,
            slotsHeld: after.inUse,
            share: share ?? null,
            effectiveConcurrency: share === undefined ? after.wanted : Math.min(after.wanted, share),
            inFlight: yield* Ref.get(claimed),
            demand,
            pausedUntil: pause ? fleet.paused_until : null,
            pauseReason: pause ? fleet.pause_reason : null,
          }
          if (!(yield* repo.report(report, now))) {
            yield* repo.register(identity, now)
            yield* repo.report(report, now)
          }
          const expired = yield* repo.expireDead({ now, timeoutSeconds: timeout })
          return { fleet, live, now, share, expired }
        }),
      )
      yield* Ref.set(grant, share)
      yield* capTo(share)
      yield* Ref.set(lastBeat, sentAt)
      if (yield* Ref.getAndSet(fenced, false))
        yield* Effect.logInfo("heartbeat back: this node takes its share again")
      const { paused_until: until, pause_reason: reason, paused_by: by } = fleet
      const byLiveNode = live.some((node) => node.id === by)
      yield* Ref.set(
        paused,
        until !== null && until > now ? { until, reason: reason ?? "paused", byLiveNode } : undefined,
      )
      yield* rescueDead(expired)
    }).pipe(lock.withPermits(1), Effect.withSpan("Fleet.beat"))

    const fence = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      if ((yield* Ref.get(grant)) === undefined) return
      // Checked once per interval: up by the timeout at the latest, before the others count it dead.
      if (now - (yield* Ref.get(lastBeat)) < (timeout - interval) * 1000) return
      if (yield* Ref.getAndSet(fenced, true)) return
      yield* Ref.set(grant, 0)
      yield* capTo(0)
      yield* Effect.logError(
        `no heartbeat for ${Math.round((now - (yield* Ref.get(lastBeat))) / 1000)}s: this node takes no fetch slot until it reaches the database`,
      )
    })

    const rateLimited = Effect.gen(function* () {
      const now = new Date(yield* Clock.currentTimeMillis)
      if (yield* repo.halve(now, interval)) {
        yield* Effect.logWarning("ScraperAPI answered 429: the fleet's concurrency limit is halved")
        yield* wake
      }
    }).pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("could not halve the fleet's limit", cause)),
      Effect.withSpan("Fleet.rateLimited"),
    )

    const pause = (until: Date, reason: string) =>
      Effect.gen(function* () {
        const known = yield* Ref.get(paused)
        if (known !== undefined && known.byLiveNode && known.until >= until) return
        yield* Ref.set(paused, { until, reason, byLiveNode: true })
        yield* repo.pause(until, reason, identity.id)
      }).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logWarning(
            "could not share the credits pause with the fleet; this node pauses alone",
            cause,
          ),
        ),
        Effect.withSpan("Fleet.pause"),
      )

    const resume = (until: Date) =>
      Effect.gen(function* () {
        const known = yield* Ref.get(paused)
        if (known !== undefined && known.until <= until) yield* Ref.set(paused, undefined)
        yield* repo.resume(until)
      }).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logWarning("could not end the fleet's credits pause; it ends at its time", cause),
        ),
        Effect.withSpan("Fleet.resume"),
      )

    /** The plan's concurrency limit from `/account`: the account limit when none is configured. */
    const planLimit = (limit: number) =>
      Option.isSome(accountConcurrency) ? Effect.void : Ref.set(accountLimit, limit)

    /** The engine's claimed pages; the first claim after an idle spell asks for a share at once. */
    const setClaimed = (count: number) =>
      Effect.zipRight(
        Ref.update(peak, (most) => Math.max(most, count)),
        Effect.flatMap(Ref.getAndSet(claimed, count), (before) =>
          before === 0 && count > 0 ? wake : Effect.void,
        ),
      )

    yield* repo.register(identity, new Date(yield* Clock.currentTimeMillis))
    yield* Effect.addFinalizer(() =>
      repo.deregister(identity.id).pipe(
        Effect.timeout(Duration.seconds(10)),
        Effect.catchAllCause((cause) =>
          Effect.logWarning("could not deregister; the node shows as dead after its timeout", cause),
        ),
      ),
    )
    // A beat stuck on the database gives up after an interval, so the fence is checked on time.
    const guardedBeat = beat.pipe(
      // A statement waiting on the database is not interrupted at once: the loop does not wait for it.
      Effect.disconnect,
      Effect.timeoutFail({
        duration: Duration.seconds(interval),
        onTimeout: () => new Error(`no answer from the database within ${interval}s`),
      }),
      Effect.catchAllCause((cause) => Effect.logWarning("fleet heartbeat failed", cause)),
    )
    const tick = Effect.zipRight(guardedBeat, fence)
    yield* guardedBeat
    yield* Queue.take(wakes).pipe(
      Effect.timeoutOption(Duration.seconds(interval)),
      // On the wall clock: a TestClock leaping hours would otherwise run a database beat every interval.
      Effect.withClock(wallClock),
      Effect.zipRight(tick),
      Effect.forever,
      Effect.forkScoped,
    )

    return {
      owner: identity.id,
      beat,
      tick,
      rateLimited,
      pause,
      resume,
      paused: Ref.get(paused),
      planLimit,
      claimed: setClaimed,
    } as const
  }).pipe(Effect.annotateLogs({ service: "Fleet" })),
  dependencies: [NodesRepo.Default],
}) {}
