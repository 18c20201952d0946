import { Clock, Duration, Effect, Ref } from "effect"

/**
 * Per-host backoff for sites fetched directly: a site's 429 makes the other pages of that host wait
 * out its Retry-After (already capped at WF7_MAX_RETRY_AFTER_SECONDS) before they take a fetch slot.
 * Other hosts, and the ScraperAPI concurrency limit, are not affected.
 */
export class HostBackoff extends Effect.Service<HostBackoff>()("Processing/HostBackoff", {
  effect: Effect.gen(function* () {
    // host → until when (epoch millis); entries that have run out are dropped on every update.
    const hosts = yield* Ref.make<ReadonlyMap<string, number>>(new Map())

    const limited = Effect.fn("HostBackoff.limited")(function* (host: string, wait: Duration.Duration) {
      const now = yield* Clock.currentTimeMillis
      const until = now + Duration.toMillis(wait)
      yield* Ref.update(hosts, (current) => {
        const next = new Map([...current].filter(([, at]) => at > now))
        return next.set(host, Math.max(until, next.get(host) ?? 0))
      })
      yield* Effect.logInfo("site answered 429: its other pages wait").pipe(
        Effect.annotateLogs({ host, waitSeconds: Duration.toSeconds(wait) }),
      )
    })

    const waitOut = Effect.fn("HostBackoff.wait")(function* (host: string) {
      for (;;) {
        const now = yield* Clock.currentTimeMillis
        const until = (yield* Ref.get(hosts)).get(host)
        if (until === undefined || until <= now) return
        yield* Effect.sleep(Duration.millis(until - now))
      }
    })

    // Every attempt passes here and nearly every host has no backoff: a lookup, not a span.
    const wait = (host: string) =>
      Effect.flatMap(Ref.get(hosts), (current) => (current.has(host) ? waitOut(host) : Effect.void))

    return { limited, wait } as const
  }),
}) {}
