import { decodeHtml, type PageBody } from "../../src/Extract/Decode.js"
import type { FetchedPage } from "../../src/Fetch/PageFetcher.js"

/** A page's text as a UTF-8 body, the way a fetcher hands it on. */
export const htmlBody = (html: string): PageBody => ({
  bytes: new TextEncoder().encode(html),
  contentType: "text/html; charset=utf-8",
})

/** A fetched page's text, decoded as extraction decodes it. */
export const textOf = (page: FetchedPage) => decodeHtml(page.body)
