export { Countries, type Category, type Country } from "./Countries.js"
export { renderPage } from "./Html.js"
export {
  describeLatency,
  Latency,
  LatencyKinds,
  latencyOf,
  meanLatency,
  type LatencyKind,
} from "./Latency.js"
export { Sandbox, start, type SandboxHandle, type SandboxOptions } from "./Server.js"
export {
  generateCorpus,
  type ExpectedContacts,
  type PageKind,
  type SampleCorpus,
  type SamplePage,
  type SampleSite,
} from "./Sites.js"
export type { SampleEmail, SamplePhone, SampleSocial } from "./SiteContacts.js"
export type { SandboxOutcome, SandboxStats } from "./Ledger.js"
export { defaultKnobs, InvalidSandboxOptions, type SandboxKnobs } from "./State.js"
