import type * as Http from "node:http"
import { answers, priceOf, send, sendPage, type Answer } from "./Answers.js"
import type { Gate } from "./Gate.js"
import { sampleLatency } from "./Latency.js"
import type { Ledger, SandboxOutcome } from "./Ledger.js"
import { PageBodies } from "./PageBodies.js"
import type { Rng } from "./Random.js"
import type { SampleCorpus, SamplePage } from "./Sites.js"
import type { SandboxKnobs } from "./State.js"

/**
 * The scrape endpoint, `GET /?api_key=…&url=…[&render=true][&max_cost=…]`, as a plain node handler:
 * it is the simulator's hot path (a bench drives it at a thousand requests in flight on the machine
 * it measures), so it runs on callbacks and mutable counts rather than a fiber per request.
 */

export interface ScrapeContext {
  readonly apiKey: string
  readonly corpus: SampleCorpus
  readonly knobs: () => SandboxKnobs
  readonly ledger: Ledger
  readonly gate: Gate
  readonly rng: Rng
  /** The clock the simulator was started on, for its books; latency is always real time (a timer). */
  readonly now: () => number
}

const targetOf = (raw: string | null): string | undefined => {
  try {
    const url = new URL(raw ?? "")
    url.hash = ""
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined
  } catch {
    return undefined
  }
}

const listedGone = (knobs: SandboxKnobs, target: string) => {
  if (knobs.notFound.length === 0) return false
  const path = new URL(target).pathname
  return knobs.notFound.some((entry) => entry === target || entry === path)
}

export const scrapeHandler = (context: ScrapeContext) => {
  const { apiKey, corpus, ledger, gate, rng, now } = context
  const bodies = new PageBodies()

  /** An admitted request: it holds its slot and credits until answered, reset or given up by its client. */
  const serveAdmitted = (
    request: Http.IncomingMessage,
    response: Http.ServerResponse,
    knobs: SandboxKnobs,
    target: string,
    page: SamplePage | undefined,
    render: boolean,
    cost: number,
  ) => {
    const draw = rng.number()
    const delay = sampleLatency(knobs.latency, rng)
    ledger.drew(delay)
    // A missing page is answered 404 whatever the fault draw: the target site says so, not the proxy.
    const gone = page === undefined || listedGone(knobs, target)
    let over = false
    let stopWaiting = () => {}
    const settle = (billed: boolean) => {
      if (over) return
      over = true
      stopWaiting()
      ledger.settle(billed, cost, now())
    }
    const answer = (outcome: SandboxOutcome, billed: boolean, write: () => void) => {
      ledger.record(outcome)
      settle(billed)
      write()
    }
    response.on("close", () => settle(false))
    if (!gone && draw < knobs.hangRate) return ledger.record("hang")

    const respond = () => {
      if (page === undefined || gone) return answer("404", true, () => send(response, answers.notFound(cost)))
      if (draw < knobs.hangRate + knobs.resetRate) {
        ledger.record("reset")
        return request.socket.resetAndDestroy()
      }
      if (draw < knobs.hangRate + knobs.resetRate + knobs.errorRate) {
        return answer("500", false, () => send(response, answers.failed()))
      }
      answer("200", true, () => sendPage(response, bodies.get(page, render), cost))
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const leaveGate = gate.pass(() => {
      if (delay > 0) timer = setTimeout(respond, delay)
      else respond()
    })
    stopWaiting = () => {
      leaveGate()
      clearTimeout(timer)
    }
  }

  return (request: Http.IncomingMessage, response: Http.ServerResponse): void => {
    const url = request.url ?? "/"
    const query = url.indexOf("?")
    const params = new URLSearchParams(query < 0 ? "" : url.slice(query + 1))
    const target = targetOf(params.get("url"))
    ledger.received(target)
    const refuse = (outcome: SandboxOutcome, reply: Answer) => {
      ledger.record(outcome)
      send(response, reply)
    }
    if (params.get("api_key") !== apiKey) return refuse("403", answers.badKey())
    if (target === undefined) return refuse("400", answers.badUrl())
    const render = params.get("render") === "true"
    const page = corpus.page(target)
    const cost = priceOf(page, render)
    if (cost > Number(params.get("max_cost") ?? Infinity)) return refuse("403", answers.overMaxCost())
    const knobs = context.knobs()
    const admission = ledger.admit(knobs, cost, now())
    if (admission === "credits-exhausted") return refuse("403", answers.exhausted())
    if (admission === "rate-limited") return refuse("429", answers.limited(knobs.retryAfterSeconds))
    serveAdmitted(request, response, knobs, target, page, render, cost)
  }
}
