import * as net from "node:net"
import { buildConnector } from "undici"
import { TargetRefused } from "./Errors.js"
import type { TargetPolicy } from "./TargetPolicy.js"

/**
 * The SSRF guard of direct fetching. Every URL (the page's and each redirect's) is checked before it is
 * requested, a name's addresses before connecting, and the socket's remote address once connected: so
 * neither an IP literal, a redirect chain nor DNS rebinding reaches an address the policy refuses.
 */

const ranges: ReadonlyArray<readonly [string, string, number]> = [
  ["an unspecified", "0.0.0.0", 8],
  ["a private", "10.0.0.0", 8],
  ["a carrier-grade NAT", "100.64.0.0", 10],
  ["a loopback", "127.0.0.0", 8],
  ["a link-local", "169.254.0.0", 16],
  ["a private", "172.16.0.0", 12],
  ["a reserved", "192.0.0.0", 24],
  ["a private", "192.168.0.0", 16],
  ["a benchmarking", "198.18.0.0", 15],
  ["a multicast", "224.0.0.0", 4],
  ["a reserved", "240.0.0.0", 4],
  ["an unspecified", "::", 128],
  ["a loopback", "::1", 128],
  ["a unique-local", "fc00::", 7],
  ["a link-local", "fe80::", 10],
  ["a site-local", "fec0::", 10],
  ["a multicast", "ff00::", 8],
]

// One list per kind, so that a refusal says what the address is; BlockList checks IPv4-mapped IPv6 itself.
const kinds = new Map<string, net.BlockList>()
for (const [kind, network, prefix] of ranges) {
  const list = kinds.get(kind) ?? new net.BlockList()
  list.addSubnet(network, prefix, net.isIPv4(network) ? "ipv4" : "ipv6")
  kinds.set(kind, list)
}

export const addressKind = (address: string): string | undefined => {
  const family = net.isIP(address)
  if (family === 0) return "not an IP"
  for (const [kind, list] of kinds) {
    if (list.check(address, family === 4 ? "ipv4" : "ipv6")) return kind
  }
  return undefined
}

export const addressRefusal = (address: string): string | undefined => {
  const kind = addressKind(address)
  return kind === undefined ? undefined : `${address} is ${kind} address`
}

const defaultPort = (protocol: string) => (protocol === "https:" ? 443 : 80)

// A name is checked when connecting, against the addresses it resolves to.
export const urlRefusal = (target: URL, policy: TargetPolicy["Type"]): string | undefined => {
  if (target.protocol !== "http:" && target.protocol !== "https:")
    return `scheme ${target.protocol} is not http(s)`
  const host = target.hostname.replace(/^\[|\]$/g, "")
  if (net.isIP(host) === 0) return undefined
  return policy.refusal(host, Number(target.port) || defaultPort(target.protocol))
}

// A name with many addresses is tried on a few of them, as a browser would.
const MAX_ADDRESSES_TRIED = 4

export const guardedConnector =
  (policy: TargetPolicy["Type"]) =>
  (options: buildConnector.BuildOptions): buildConnector.connector => {
    const connect = buildConnector(options)
    return (target, callback) => {
      const port = Number(target.port) || defaultPort(target.protocol)
      const refuse = (message: string) => callback(new TargetRefused({ message }), null)
      const opened = (socket: net.Socket) => {
        const address = socket.remoteAddress
        const refusal =
          address === undefined ? "the connection has no remote address" : policy.refusal(address, port)
        if (refusal === undefined) return callback(null, socket)
        socket.destroy()
        refuse(refusal)
      }
      const tryFrom = (addresses: ReadonlyArray<string>, index: number): void => {
        // The name stays in `host`, so TLS still asks for (and verifies) the site's own certificate.
        connect({ ...target, hostname: addresses[index] ?? "" }, (error, socket) => {
          if (error === null) return opened(socket)
          if (index + 1 < Math.min(addresses.length, MAX_ADDRESSES_TRIED))
            return tryFrom(addresses, index + 1)
          callback(error, null)
        })
      }
      const resolved = net.isIP(target.hostname)
        ? Promise.resolve([target.hostname])
        : policy.resolve(target.hostname)
      resolved.then(
        (addresses) => {
          if (addresses.length === 0) return callback(new Error(`${target.hostname} has no address`), null)
          const refusal = addresses
            .map((address) => policy.refusal(address, port))
            .find((r) => r !== undefined)
          if (refusal === undefined) return tryFrom(addresses, 0)
          refuse(net.isIP(target.hostname) ? refusal : `${target.hostname}: ${refusal}`)
        },
        (error: Error) => callback(error, null),
      )
    }
  }
