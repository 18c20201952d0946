import { renderAppShell, renderPage } from "./Html.js"
import type { SamplePage } from "./Sites.js"

/** Rendered pages are kept up to this many bytes; beyond it they are rendered again on each request. */
const CACHE_BYTES = 64 * 1024 * 1024

/**
 * The UTF-8 bodies of the sample pages. Rendering costs about a tenth of a millisecond per page, which a
 * simulator answering thousands of requests a second should not spend twice, yet a corpus of
 * thousands of pages should not pin hundreds of megabytes either: hence a cache with a byte budget.
 */
export class PageBodies {
  private readonly cache = new Map<string, Buffer>()
  private cachedBytes = 0

  /** The page as a fetch sees it: a script-built site shows its contacts only when `rendered`. */
  get(page: SamplePage, rendered: boolean): Buffer {
    const shell = page.site.scripted && !rendered
    const key = shell ? `shell ${page.url}` : page.url
    const cached = this.cache.get(key)
    if (cached !== undefined) return cached
    const body = Buffer.from(shell ? renderAppShell(page) : renderPage(page))
    if (this.cachedBytes + body.byteLength <= CACHE_BYTES) {
      this.cache.set(key, body)
      this.cachedBytes += body.byteLength
    }
    return body
  }
}
