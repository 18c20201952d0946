import { renderPage } from "./Html.js"
import type { SamplePage } from "./Sites.js"

/** Rendered pages are kept up to this many bytes; beyond it they are rendered again on each request. */
const CACHE_BYTES = 64 * 1024 * 1024

/**
 * The UTF-8 bodies of the sample pages. Rendering costs a fifth of a millisecond per page, which a
 * simulator answering thousands of requests a second cannot spend each time, yet a corpus of
 * thousands of pages should not pin hundreds of megabytes either: hence a cache with a byte budget.
 */
export class PageBodies {
  private readonly cache = new Map<string, Uint8Array>()
  private cachedBytes = 0

  get(page: SamplePage): Uint8Array {
    const cached = this.cache.get(page.url)
    if (cached !== undefined) return cached
    const body = new TextEncoder().encode(renderPage(page))
    if (this.cachedBytes + body.byteLength <= CACHE_BYTES) {
      this.cache.set(page.url, body)
      this.cachedBytes += body.byteLength
    }
    return body
  }
}
