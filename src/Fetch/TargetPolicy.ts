import * as dns from "node:dns"
import { Context, Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"
import { addressRefusal } from "./Ssrf.js"

/**
 * Which addresses direct fetches may connect to, and how names are resolved: public addresses, or every
 * address with WF7_ALLOW_PRIVATE_TARGETS=true (intranets); tests give their own.
 */
export class TargetPolicy extends Context.Tag("Fetch/TargetPolicy")<
  TargetPolicy,
  {
    readonly refusal: (address: string, port: number) => string | undefined
    readonly resolve: (hostname: string) => Promise<ReadonlyArray<string>>
  }
>() {}

// IPv4 first: many hosts and containers have no IPv6 route, and the guard connects by address.
const resolve = (hostname: string) =>
  dns.promises
    .lookup(hostname, { all: true, verbatim: false })
    .then((addresses) => addresses.map((entry) => entry.address))

export const TargetPolicyLive = Layer.effect(
  TargetPolicy,
  Effect.map(AppConfig, (config) =>
    TargetPolicy.of({ refusal: config.allowPrivateTargets ? () => undefined : addressRefusal, resolve }),
  ),
)
