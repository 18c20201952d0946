import * as dns from "node:dns"
import * as net from "node:net"

/**
 * The SSRF guard of direct fetching: loopback, private, link-local, carrier-grade NAT, multicast and
 * unspecified addresses are refused, whether written in the URL or returned by DNS (checked at
 * connect time, so redirects and DNS rebinding are covered too).
 */

const blocked = new net.BlockList()
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4")
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6")
}

export const isPrivateAddress = (address: string): boolean => {
  const family = net.isIP(address)
  if (family === 4) return blocked.check(address, "ipv4")
  if (family !== 6) return false
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/)?.[1]
  return mapped !== undefined ? blocked.check(mapped, "ipv4") : blocked.check(address, "ipv6")
}

/** A `lookup` for sockets that fails for private addresses. */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) =>
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 4)
    const list = addresses as Array<dns.LookupAddress>
    const refused = list.find((entry) => isPrivateAddress(entry.address))
    if (refused !== undefined) {
      const denied = Object.assign(new Error(`${hostname} resolves to private address ${refused.address}`), {
        code: "WF7_PRIVATE_TARGET",
      })
      return callback(denied, "", 4)
    }
    if (options.all)
      return (callback as unknown as (e: null, all: Array<dns.LookupAddress>) => void)(null, list)
    const first = list[0]
    return first
      ? callback(null, first.address, first.family)
      : callback(new Error(`${hostname} has no address`), "", 4)
  })

/** Why a URL may not be fetched directly, or undefined when it may. */
export const refusalOf = (target: URL, allowPrivate: boolean): string | undefined => {
  if (target.protocol !== "http:" && target.protocol !== "https:")
    return `scheme ${target.protocol} is not http(s)`
  const host = target.hostname.replace(/^\[|\]$/g, "")
  if (allowPrivate) return undefined
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is a loopback host`
  return isPrivateAddress(host) ? `${host} is a private address` : undefined
}
