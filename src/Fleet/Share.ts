/**
 * How live nodes divide the account-wide limit: max-min fair by demand (a node wanting less than an equal
 * part gets what it wants, the rest is split). Ties go by node id, so every node computes the same split.
 */

interface Demand {
  readonly id: string
  readonly demand: number
}

export const fairShares = (limit: number, demands: ReadonlyArray<Demand>): ReadonlyMap<string, number> => {
  const sorted = [...demands].sort((a, b) => a.demand - b.demand || a.id.localeCompare(b.id))
  const shares = new Map<string, number>()
  let remaining = Math.max(0, limit)
  sorted.forEach((node, index) => {
    const share = Math.min(Math.max(0, node.demand), Math.ceil(remaining / (sorted.length - index)))
    shares.set(node.id, share)
    remaining -= share
  })
  return shares
}

/** Lowering to the fair share is always allowed; raising only into what the others' holds leave free. */
export const nextGrant = (options: {
  readonly current: number
  readonly fair: number
  readonly limit: number
  readonly othersHold: number
}) => {
  const { current, fair, limit, othersHold } = options
  if (fair <= current) return fair
  return Math.max(current, Math.min(fair, limit - othersHold))
}
