import type { AppConfig } from "../Config.js"

/**
 * How many connections each pool may open. ScraperAPI is one host, so its pool is sized to the
 * ScraperAPI concurrency; HTTP_CONNECTIONS_PER_HOST and HTTP_CONNECTION_POOL_SIZE are limits of direct
 * fetching, where the hosts are the target sites. A limit capped by another is said in one line each.
 */

interface ConnectionLimits {
  /** Connections to the ScraperAPI host: one per page in flight. */
  readonly scraperApi: number
  /** Direct fetching: pages fetched at once over all target hosts, and connections to one host. */
  readonly direct: { readonly total: number; readonly perHost: number }
  /** One line per configured limit that another one caps, with the value in effect. */
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
