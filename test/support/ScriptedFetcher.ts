import { Context, Effect, Layer, Ref } from "effect"
import type { FetchError } from "../../src/Fetch/Errors.js"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { htmlBody } from "./Bodies.js"

/**
 * A PageFetcher whose answers the test writes per URL, for driving the pipeline's decisions; it
 * counts calls per URL and the most fetches it saw in flight at once.
 */

export type Script = (url: string, call: number) => Effect.Effect<string, FetchError>

export interface FetchLog {
  readonly calls: ReadonlyMap<string, number>
  readonly maxInFlight: number
}

export class ScriptedFetches extends Context.Tag("test/ScriptedFetches")<
  ScriptedFetches,
  { readonly log: Effect.Effect<FetchLog> }
>() {}

export const scriptedFetcher = (script: Script) =>
  Layer.effectContext(
    Effect.gen(function* () {
      const state = yield* Ref.make({ calls: new Map<string, number>(), inFlight: 0, maxInFlight: 0 })
      const enter = (url: string) =>
        Ref.modify(state, (current) => {
          const call = (current.calls.get(url) ?? 0) + 1
          const inFlight = current.inFlight + 1
          const calls = new Map(current.calls).set(url, call)
          return [call, { calls, inFlight, maxInFlight: Math.max(current.maxInFlight, inFlight) }]
        })
      const leave = Ref.update(state, (current) => ({ ...current, inFlight: current.inFlight - 1 }))
      const fetch = (url: string) =>
        Effect.flatMap(enter(url), (call) => script(url, call)).pipe(
          Effect.map((html) => ({ url, body: htmlBody(html), credits: 0, rendered: false })),
          Effect.ensuring(leave),
        )
      const log = Effect.map(Ref.get(state), ({ calls, maxInFlight }) => ({ calls, maxInFlight }))
      return Context.make(PageFetcher, { fetch }).pipe(Context.add(ScriptedFetches, { log }))
    }),
  )

/** A small business page with one email, one phone and one profile, all derived from its URL. */
export const contactPage = (url: string) => {
  const slug = new URL(url).pathname.replace(/\W+/g, "") || "home"
  return `<html><body><h1>Contact</h1>
    <p>Write to <a href="mailto:${slug}@shop.example.com">${slug}@shop.example.com</a></p>
    <p>Call <a href="tel:+1415362${slug.replace(/\D/g, "").padStart(4, "0").slice(-4)}">us</a></p>
    <a href="https://www.linkedin.com/company/${slug}">LinkedIn</a></body></html>`
}
