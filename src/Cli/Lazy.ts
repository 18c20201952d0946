import { Effect } from "effect"

/**
 * A command's work, imported when the command runs: `wf7 --help` and the other commands never load
 * its modules (the database client, the HTTP server, tracing, the simulator).
 */
export const lazily = <M, A, E, R>(load: () => Promise<M>, run: (module: M) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.promise(load), run)
