import { renderAppShell, renderPage } from "./Html.js"
import type { SamplePage } from "./Sites.js"

/** Rendered pages are kept up to this many bytes; beyond it they are rendered again on each request. */
const CACHE_BYTES = 64 * 1024 * 1024

/**
 * The sample pages' UTF-8 bodies: rendering (~0.1 ms a page) is not spent twice at thousands of requests
 * a second, yet thousands of pages do not pin hundreds of megabytes: a cache with a byte budget.
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
