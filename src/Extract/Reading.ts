import type { Extraction } from "../Domain/Contact.js"
import { renderReason, type RenderReason } from "../Fetch/RenderDecision.js"
import { decodeHtml, type PageBody } from "./Decode.js"
import { extract, type ExtractOptions } from "./index.js"

/**
 * What a fetched body yields: its contacts and, when asked (`judgeRender`: a plain fetch in
 * WF7_RENDER=auto), whether it is worth fetching again rendered. Both read the one decoded text,
 * on the thread that extracts.
 */

export interface ReadOptions extends ExtractOptions {
  readonly judgeRender: boolean
}

export interface PageReading {
  readonly extraction: Extraction
  readonly renderReason: RenderReason | undefined
}

export const readPage = (body: PageBody, options: ReadOptions): PageReading => {
  const html = decodeHtml(body)
  const extraction = extract(html, options)
  return { extraction, renderReason: options.judgeRender ? renderReason(html, extraction) : undefined }
}
