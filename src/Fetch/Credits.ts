/**
 * ScraperAPI's price list, in credits: what a request costs when its answer carries no
 * `sa-credit-cost` header. Only successful answers (200, 404) are billed.
 */
const Prices = { plain: 1, render: 10 } as const

export const documentedPrice = (render: boolean) => (render ? Prices.render : Prices.plain)

/**
 * What one answer cost: its `sa-credit-cost` header, else the documented price. The header is capped
 * at `max` (the `max_cost` sent with the request): no answer may claim more than was allowed.
 */
export const creditCost = (header: string | undefined, render: boolean, max: number) => {
  const stated = header === undefined || header.trim() === "" ? NaN : Number(header)
  const cost = Number.isFinite(stated) && stated >= 0 ? stated : documentedPrice(render)
  return Math.min(cost, max)
}
