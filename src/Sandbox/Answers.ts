import { HttpServerResponse } from "@effect/platform"
import type * as Http from "node:http"
import { documentedPrice } from "../Fetch/Credits.js"
import type { SamplePage } from "./Sites.js"

/** ScraperAPI's answers as the simulator gives them: statuses, bodies and headers of the real service. */

export const BYPASS_FEE = 10

export const priceOf = (page: SamplePage | undefined, render: boolean) =>
  documentedPrice(render) + (page?.site.protected === true ? BYPASS_FEE : 0)

export interface Answer {
  readonly status: number
  readonly text: string
  readonly headers: Readonly<Record<string, string>>
}

const plain = (status: number, text: string, headers: Record<string, string> = {}): Answer => ({
  status,
  text,
  headers,
})

export const answers = {
  badKey: () => plain(403, "Invalid API key. Please check your API key and try again."),
  exhausted: () =>
    plain(
      403,
      "You have exhausted the API Credits available in this monthly cycle. Please upgrade your plan.",
    ),
  limited: (seconds: number) =>
    plain(429, "You have reached your concurrent request limit. Please wait for a request to finish.", {
      "retry-after": String(seconds),
    }),
  badUrl: () => plain(400, "Request failed: the url parameter must be an absolute http(s) URL."),
  notFound: (cost: number) =>
    plain(404, "Request failed with status code 404 at the target.", { "sa-credit-cost": String(cost) }),
  overMaxCost: () =>
    plain(
      403,
      "This request exceeds your max_cost. You can view the cost per request in your response header or in the API Playground on the dashboard.",
    ),
  failed: () => plain(500, "Request failed. Please retry: you will not be charged for this request."),
}

export const send = (response: Http.ServerResponse, answer: Answer) => {
  response.writeHead(answer.status, {
    ...answer.headers,
    "content-type": "text/plain",
    "content-length": Buffer.byteLength(answer.text),
  })
  response.end(answer.text)
}

export const sendPage = (response: Http.ServerResponse, body: Uint8Array, cost: number) => {
  response.writeHead(200, {
    "sa-credit-cost": String(cost),
    "content-type": "text/html; charset=utf-8",
    "content-length": body.byteLength,
  })
  response.end(body)
}

export const toResponse = (answer: Answer) =>
  HttpServerResponse.text(answer.text, { status: answer.status, headers: answer.headers })
