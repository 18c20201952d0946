import { Context, type Effect } from "effect"
import type { PageBody } from "../Extract/Decode.js"
import type { FetchError } from "./Errors.js"

export interface FetchedPage {
  /** The page's own URL (never the proxy's, which carries the key). */
  readonly url: string
  /** As it came: decoded where it is extracted. */
  readonly body: PageBody
  readonly credits: number
  readonly rendered: boolean
}

export interface FetchOptions {
  readonly render: boolean
}

/** One attempt at fetching a page; retries, slots and pauses are the pipeline's business. */
export class PageFetcher extends Context.Tag("Fetch/PageFetcher")<
  PageFetcher,
  { readonly fetch: (url: string, options?: FetchOptions) => Effect.Effect<FetchedPage, FetchError> }
>() {}
