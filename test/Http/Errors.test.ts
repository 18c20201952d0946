import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { API_KEY, apiClient, call, callApi, httpTestLayer, json, pipelineTestLayer } from "../support/Http.js"

const auth = { authorization: `Bearer ${API_KEY}` }

const send = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
  call(path, { method, headers: { ...auth, "content-type": "application/json", ...headers }, body }).pipe(
    Effect.flatMap(json),
  )

const expectInvalid = (answer: { status: number; body: unknown }, field: RegExp) =>
  expect(answer).toEqual({
    status: 400,
    body: { error: "InvalidRequest", message: expect.stringMatching(field) },
  })

const MB = 1024 * 1024

// Raw HTTP throughout: these requests are what the typed client would never send.
it.layer(httpTestLayer())("HTTP API: bad input", (it) => {
  it.effect("malformed JSON is 400 and says so", () =>
    Effect.gen(function* () {
      const answer = yield* send("POST", "/api/v3/pages", '{"urls": ["https://a.example"')
      expectInvalid(answer, /^The body is not valid JSON/)
    }),
  )

  it.effect("wrong types and missing fields are 400 naming the field", () =>
    Effect.gen(function* () {
      expectInvalid(
        yield* send("POST", "/api/v3/pages", JSON.stringify({ urls: "https://a.example" })),
        /^urls: /,
      )
      expectInvalid(yield* send("POST", "/api/v3/pages", JSON.stringify({ urls: [] })), /^urls: /)
      expectInvalid(
        yield* send("POST", "/api/v3/pages", JSON.stringify({ urls: ["x"], select: "yes" })),
        /^select: /,
      )
      expectInvalid(
        yield* send("PUT", "/api/v3/pages/status", JSON.stringify({ page_ids: [] })),
        /^page_ids: Expected an array of at least 1 item/,
      )
      expectInvalid(
        yield* send("PUT", "/api/v3/pages/status", JSON.stringify({ page_ids: [crypto.randomUUID()] })),
        /^status: is missing$/,
      )
      expectInvalid(
        yield* send("POST", "/api/v3/pages", JSON.stringify([1, 2])),
        /^body: Expected a JSON object/,
      )
    }),
  )

  it.effect("unknown statuses are 400 naming the field", () =>
    Effect.gen(function* () {
      const id = "00000000-0000-4000-8000-000000000000"
      expectInvalid(
        yield* send("PUT", "/api/v3/pages/status", JSON.stringify({ page_ids: [id], status: "Done" })),
        /^status: Expected one of "New", "Selected", "Rejected", "Skipped", "Archived", actual "Done"$/,
      )
      expectInvalid(
        yield* send(
          "PUT",
          "/api/v3/pages/status/filtered",
          JSON.stringify({ status: "New", page_processing_status: "Stuck" }),
        ),
        /^page_processing_status: /,
      )
      expectInvalid(
        yield* callApi("/api/v3/pages?page_curation_status=selected").pipe(Effect.flatMap(json)),
        /^page_curation_status: Expected one of "New", "Selected", "Rejected", "Skipped", "Archived", actual "selected"$/,
      )
      expectInvalid(
        yield* callApi("/api/v3/contacts?email_type=personal").pipe(Effect.flatMap(json)),
        /^email_type: Expected one of "SERVICE", "CORPORATE", "FREE", "UNKNOWN", actual "personal"$/,
      )
      expectInvalid(
        yield* callApi("/api/v3/pages?limit=3&limit=4").pipe(Effect.flatMap(json)),
        /^limit: Expected string, actual \["3","4"\]$/,
      )
    }),
  )

  it.effect("invalid UUIDs are 400 naming the field", () =>
    Effect.gen(function* () {
      expectInvalid(yield* callApi("/api/v3/pages/not-a-uuid").pipe(Effect.flatMap(json)), /^id: /)
      expectInvalid(
        yield* send(
          "PUT",
          "/api/v3/pages/status",
          JSON.stringify({ page_ids: ["1234"], status: "Selected" }),
        ),
        /^page_ids\.0: /,
      )
      expectInvalid(yield* callApi("/api/v3/contacts?page_id=abc").pipe(Effect.flatMap(json)), /^page_id: /)
    }),
  )

  it.effect("out-of-range limits and offsets, bad dates and NUL characters are 400 naming the field", () =>
    Effect.gen(function* () {
      const queries: Array<[field: string, value: string]> = [
        ["limit", "1001"],
        ["limit", "0"],
        ["limit", "ten"],
        ["limit", "2.5"],
        ["offset", "-1"],
        ["offset", "1e20"],
      ]
      for (const [field, value] of queries) {
        const query = `${field}=${value}`
        expectInvalid(
          yield* callApi(`/api/v3/pages?${query}`).pipe(Effect.flatMap(json)),
          new RegExp(`^${field}: `),
        )
        expectInvalid(
          yield* callApi(`/api/v3/contacts?${query}`).pipe(Effect.flatMap(json)),
          new RegExp(`^${field}: `),
        )
      }
      expectInvalid(yield* callApi("/api/v3/contacts?since=yesterday").pipe(Effect.flatMap(json)), /^since: /)
      expectInvalid(
        yield* callApi("/api/v3/pages?url_contains=a%00b").pipe(Effect.flatMap(json)),
        /^url_contains: must not contain a NUL character/,
      )
    }),
  )

  it.effect("bodies announced as over 1 MB are 413", () =>
    Effect.gen(function* () {
      const big = JSON.stringify({ urls: [`https://a.example/${"x".repeat(MB)}`] })
      const announced = yield* send("POST", "/api/v3/pages", big)
      expect(announced).toEqual({
        status: 413,
        body: { error: "PayloadTooLarge", message: `The request body is over ${MB} bytes` },
      })
    }),
  )

  // Without Content-Length the size shows only while reading: the platform then drops the connection.
  it.effect("a chunked body that grows over 1 MB is cut off and nothing of it is imported", () =>
    Effect.gen(function* () {
      const url = "https://chunked.example/"
      const bytes = new TextEncoder().encode(JSON.stringify({ urls: [url, `${url}${"x".repeat(MB)}`] }))
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
            controller.enqueue(bytes.subarray(offset, offset + 64 * 1024))
          }
          controller.close()
        },
      })
      const answer = yield* call("/api/v3/pages", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body,
        duplex: "half",
      }).pipe(
        Effect.map((response) => response.status),
        Effect.catchAllDefect(() => Effect.succeed("connection closed")),
      )
      expect([413, "connection closed"]).toContain(answer)
      const pages = yield* apiClient.pipe(
        Effect.flatMap((api) =>
          api.pages.list({
            urlParams: { url_contains: "chunked.example", limit: 1, offset: 0, sort: "url", order: "asc" },
          }),
        ),
      )
      expect(pages.total).toBe(0)
    }),
  )

  it.effect("unknown routes and methods are 404 JSON", () =>
    Effect.gen(function* () {
      expect(yield* call("/api/v3/nothing-here").pipe(Effect.flatMap(json))).toEqual({
        status: 404,
        body: { error: "NotFound", message: "No route for GET /api/v3/nothing-here" },
      })
      const wrongMethod = yield* call("/api/v3/pages", { method: "DELETE", headers: auth }).pipe(
        Effect.flatMap(json),
      )
      expect(wrongMethod).toMatchObject({ status: 404, body: { error: "NotFound" } })
    }),
  )
})

const secret = "postgres://user:hunter2@db.internal/wf7"

it.layer(
  httpTestLayer({
    pipeline: pipelineTestLayer(Effect.die(new Error(`connection to ${secret} failed: SELECT * FROM pages`))),
  }),
)("HTTP API: unexpected failures", (it) => {
  it.effect("are 500 with a bare message: no stack trace, no SQL, no connection string", () =>
    Effect.gen(function* () {
      // Raw: the body's exact text must carry nothing of the failure.
      const response = yield* callApi("/api/v3/stats")
      const text = yield* Effect.promise(() => response.text())
      expect(response.status).toBe(500)
      expect(JSON.parse(text)).toEqual({ error: "InternalError", message: "Internal error" })
      expect(text).not.toMatch(/hunter2|SELECT|\bat /)
    }),
  )
})
