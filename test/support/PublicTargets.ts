import { Layer } from "effect"
import * as dns from "node:dns"
import { addressRefusal } from "../../src/Fetch/Ssrf.js"
import { TargetPolicy } from "../../src/Fetch/TargetPolicy.js"

/**
 * The production SSRF policy, except that the given local endpoints ("127.0.0.1:PORT") stand for
 * public sites, and the given names resolve to the given addresses (a DNS the test controls).
 */
export const publicTargets = (
  endpoints: ReadonlyArray<string>,
  names: Record<string, () => Promise<ReadonlyArray<string>>> = {},
) =>
  Layer.succeed(
    TargetPolicy,
    TargetPolicy.of({
      refusal: (address, port) =>
        endpoints.includes(`${address}:${port}`) ? undefined : addressRefusal(address),
      resolve: (hostname) =>
        names[hostname]?.() ??
        dns.promises.lookup(hostname, { all: true }).then((found) => found.map((entry) => entry.address)),
    }),
  )

/** A resolver failure as getaddrinfo reports it when the process is out of file descriptors. */
export const outOfDescriptors = () =>
  Promise.reject(Object.assign(new Error("getaddrinfo EMFILE"), { code: "EMFILE", syscall: "getaddrinfo" }))
