import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeDirectFetcher } from "../../src/Fetch/Direct.js"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { isPrivateAddress } from "../../src/Fetch/Ssrf.js"
import { stubServer } from "../support/StubServer.js"
import { configFrom } from "../support/TestConfig.js"

const site = stubServer((request, response) => {
  switch (request.url) {
    case "/contact":
      response.writeHead(200, { "content-type": "text/html" })
      return response.end(`<p>ua=${request.headers["user-agent"]?.includes("Mozilla")}</p>`)
    case "/moved":
      response.writeHead(301, { location: "/contact" })
      return response.end()
    case "/meta-charset":
      response.writeHead(200, { "content-type": "text/html" })
      return response.end(
        Buffer.concat([
          Buffer.from('<meta charset="windows-1252"><p>'),
          Buffer.from([0x93, 0x41, 0x94]),
          Buffer.from("</p>"),
        ]),
      )
    case "/huge":
      response.writeHead(200, { "content-type": "text/html" })
      // Streamed without a length: the cap must stop reading, not buffer it all.
      for (let i = 0; i < 64; i++) response.write("x".repeat(1024))
      return response.end()
    default:
      response.writeHead(404)
      return response.end()
  }
})

const fetcher = (env: Record<string, string>) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      Layer.scoped(PageFetcher, makeDirectFetcher).pipe(
        Layer.provide(configFrom({ WF7_MAX_PAGE_BYTES: "8192", ...env })),
      ),
    )
    return yield* Effect.provide(PageFetcher, context)
  })

describe("direct fetcher", () => {
  it.scoped("refuses loopback and private targets unless allowed", () =>
    Effect.gen(function* () {
      const server = yield* site
      const guarded = yield* fetcher({})
      for (const url of [
        `${server.url}contact`,
        "http://localhost/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "ftp://example.com/",
      ]) {
        const error = yield* Effect.flip(guarded.fetch(url))
        expect(error._tag).toBe("TargetRefused")
      }
      expect(server.requests).toEqual([])
      const open = yield* fetcher({ WF7_ALLOW_PRIVATE_TARGETS: "true" })
      expect((yield* open.fetch(`${server.url}contact`)).html).toBe("<p>ua=true</p>")
    }),
  )

  it.scoped("follows redirects, honours the meta charset, caps the body, maps 404", () =>
    Effect.gen(function* () {
      const server = yield* site
      const open = yield* fetcher({ WF7_ALLOW_PRIVATE_TARGETS: "true" })
      expect((yield* open.fetch(`${server.url}moved`)).html).toBe("<p>ua=true</p>")
      expect((yield* open.fetch(`${server.url}meta-charset`)).html).toContain("\u201cA\u201d")
      expect((yield* Effect.flip(open.fetch(`${server.url}huge`)))._tag).toBe("PageTooLarge")
      expect((yield* Effect.flip(open.fetch(`${server.url}nothing`)))._tag).toBe("PageGone")
    }),
  )

  it.scoped(
    "a target with no DNS record is HostNotFound (a page outcome), a refused connection a TransportError",
    () =>
      Effect.gen(function* () {
        const guarded = yield* fetcher({})
        const unknown = yield* Effect.flip(guarded.fetch("http://no-such-site.invalid/contact"))
        expect(unknown).toMatchObject({
          _tag: "HostNotFound",
          message: "no-such-site.invalid not found (DNS)",
        })
        const open = yield* fetcher({ WF7_ALLOW_PRIVATE_TARGETS: "true" })
        expect((yield* Effect.flip(open.fetch("http://no-such-site.invalid/")))._tag).toBe("HostNotFound")
        // Port 1 on loopback: nothing listens there.
        expect((yield* Effect.flip(open.fetch("http://127.0.0.1:1/")))._tag).toBe("TransportError")
      }),
  )

  it.each([
    ["127.0.0.1", true],
    ["10.0.0.8", true],
    ["172.20.1.1", true],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["::1", true],
    ["fe80::1", true],
    ["fd00::1", true],
    ["::ffff:127.0.0.1", true],
    ["93.184.216.34", false],
    ["2606:4700::1111", false],
  ])("%s private: %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected)
  })
})
