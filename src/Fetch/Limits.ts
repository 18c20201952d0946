import type { AppConfig } from "../Config.js"

/**
 * How many connections each pool may open. ScraperAPI is one host, so its pool is sized to its concurrency;
 * HTTP_CONNECTIONS_PER_HOST and HTTP_CONNECTION_POOL_SIZE limit direct fetching, one host per site.
 */

interface ConnectionLimits {
  readonly scraperApi: number
  readonly direct: { readonly total: number; readonly perHost: number }
  readonly capped: ReadonlyArray<string>
}

type LimitSettings = Pick<
  AppConfig,
  "fetchMode" | "fallbackDirect" | "maxConcurrent" | "httpPoolSize" | "httpPerHost"
>

export const connectionLimits = (config: LimitSettings): ConnectionLimits => {
  const perHost = Math.min(config.httpPerHost, config.httpPoolSize)
  const capped: Array<string> = []
  if (config.fetchMode === "direct" || config.fallbackDirect) {
    if (config.httpPerHost > config.httpPoolSize) {
      capped.push(
        `HTTP_CONNECTIONS_PER_HOST=${config.httpPerHost} is capped by HTTP_CONNECTION_POOL_SIZE=${config.httpPoolSize}: at most ${perHost} connections to one site`,
      )
    }
    if (config.maxConcurrent > config.httpPoolSize) {
      capped.push(
        `SCRAPER_API_MAX_CONCURRENT=${config.maxConcurrent} is capped by HTTP_CONNECTION_POOL_SIZE=${config.httpPoolSize} when fetching directly: at most ${config.httpPoolSize} pages fetched at once`,
      )
    }
  }
  return {
    scraperApi: config.maxConcurrent,
    direct: { total: config.httpPoolSize, perHost },
    capped,
  }
}
