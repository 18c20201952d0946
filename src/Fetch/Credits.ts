/** ScraperAPI's prices in credits, for an answer without `sa-credit-cost`; only 200 and 404 are billed. */
const Prices = { plain: 1, render: 10 } as const

export const documentedPrice = (render: boolean) => (render ? Prices.render : Prices.plain)

/** Capped at `max` (the `max_cost` sent with the request): no answer may claim more than was allowed. */
export const creditCost = (header: string | undefined, render: boolean, max: number) => {
  const stated = header === undefined || header.trim() === "" ? NaN : Number(header)
  const cost = Number.isFinite(stated) && stated >= 0 ? stated : documentedPrice(render)
  return Math.min(cost, max)
}
