import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { AppConfig } from "../../src/Config.js"
import { makeDirectFetcher } from "../../src/Fetch/Direct.js"
import { PageFetcher } from "../../src/Fetch/PageFetcher.js"
import { addressKind } from "../../src/Fetch/Ssrf.js"
import { TargetPolicy, TargetPolicyLive } from "../../src/Fetch/TargetPolicy.js"
import { outOfDescriptors, publicTargets } from "../support/PublicTargets.js"
import { stubServer } from "../support/StubServer.js"
import { configFrom } from "../support/TestConfig.js"
import { textOf } from "../support/Bodies.js"

const site = stubServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://site")
  const hops = url.pathname.match(/^\/r\/(\d)$/)?.[1]
  if (hops !== undefined) {
    // /r/N?to=X redirects N times, the last time to X.
    const to = url.searchParams.get("to") ?? "/"
    response.writeHead(302, {
      location: hops === "1" ? to : `/r/${Number(hops) - 1}?to=${encodeURIComponent(to)}`,
    })
    return response.end()
  }
  switch (url.pathname) {
    case "/contact":
      response.writeHead(200, { "content-type": "text/html" })
      return response.end(`<p>ua=${request.headers["user-agent"]?.includes("Mozilla")}</p>`)
    case "/moved":
      response.writeHead(301, { location: "/contact" })
      return response.end()
    case "/loop":
      response.writeHead(302, { location: "/loop" })
      return response.end()
    case "/limited":
      response.writeHead(429, { "retry-after": url.searchParams.get("after") ?? "" })
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

/** A service inside the network: what an SSRF would reach. */
const inside = stubServer((_, response) => {
  response.writeHead(200, { "content-type": "text/html" })
  response.end('<a href="mailto:root@intranet.example">root</a>')
})

const fetcher = (
  env: Record<string, string>,
  policy: Layer.Layer<TargetPolicy, never, AppConfig> = TargetPolicyLive,
) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      Layer.scoped(PageFetcher, makeDirectFetcher).pipe(
        Layer.provide(policy),
        Layer.provide(configFrom({ WF7_MAX_PAGE_BYTES: "8192", ...env })),
      ),
    )
    return yield* Effect.provide(PageFetcher, context)
  })

/** A fetcher for which the stub site (and only it) is a public site on the Internet. */
const siteIsPublic = (siteUrl: string, env: Record<string, string> = {}) =>
  fetcher(
    env,
    publicTargets([`127.0.0.1:${new URL(siteUrl).port}`], {
      "inside.test": () => Promise.resolve(["127.0.0.1"]),
      "busy.test": outOfDescriptors,
    }),
  )

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
      expect(textOf(yield* open.fetch(`${server.url}contact`))).toBe("<p>ua=true</p>")
    }),
  )

  it.scoped("a redirect into the network is refused in every form, naming the hop", () =>
    Effect.gen(function* () {
      const server = yield* site
      const internal = yield* inside
      const port = new URL(internal.url).port
      const guarded = yield* siteIsPublic(server.url)
      expect(textOf(yield* guarded.fetch(`${server.url}r/2?to=/contact`))).toBe("<p>ua=true</p>")
      for (const [location, reason] of [
        [`http://127.0.0.1:${port}/`, "127.0.0.1 is a loopback address"],
        [`http://[::1]:${port}/`, "::1 is a loopback address"],
        [`http://[::ffff:127.0.0.1]:${port}/`, "::ffff:7f00:1 is a loopback address"],
        [`http://2130706433:${port}/`, "127.0.0.1 is a loopback address"],
        [`http://0.0.0.0:${port}/`, "0.0.0.0 is an unspecified address"],
        [`//127.0.0.1:${port}/`, "127.0.0.1 is a loopback address"],
        ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
        ["http://[fd00::1]/", "fd00::1 is a unique-local address"],
        // A name is checked on the address it resolves to, when the socket is opened.
        [`http://inside.test:${port}/`, "inside.test: 127.0.0.1 is a loopback address"],
      ] as const) {
        const error = yield* Effect.flip(guarded.fetch(`${server.url}r/2?to=${encodeURIComponent(location)}`))
        expect(error._tag).toBe("TargetRefused")
        expect(error.message).toBe(`redirect 2 to ${new URL(location, server.url).href} refused: ${reason}`)
      }
      expect(internal.requests).toEqual([])
      const open = yield* fetcher({ WF7_ALLOW_PRIVATE_TARGETS: "true" })
      const intranet = yield* open.fetch(`${server.url}r/2?to=${encodeURIComponent(internal.url)}`)
      expect(textOf(intranet)).toContain("root@intranet.example")
    }),
  )

  it.scoped("follows at most five redirects", () =>
    Effect.gen(function* () {
      const server = yield* site
      const guarded = yield* siteIsPublic(server.url)
      const error = yield* Effect.flip(guarded.fetch(`${server.url}loop`))
      expect(error._tag).toBe("BadRequest")
      expect(error.message).toBe(`more than 5 redirects, the last to /loop`)
      expect(server.requests).toHaveLength(6)
    }),
  )

  it.scoped("a 429's Retry-After is capped at WF7_MAX_RETRY_AFTER_SECONDS and names the site", () =>
    Effect.gen(function* () {
      const server = yield* site
      const host = new URL(server.url).host
      const retryAfter = (fetch: PageFetcher["Type"], after: string) =>
        Effect.flip(fetch.fetch(`${server.url}limited?after=${encodeURIComponent(after)}`)).pipe(
          Effect.map((error) =>
            error._tag === "RateLimited"
              ? { seconds: error.retryAfter && Duration.toSeconds(error.retryAfter), site: error.site }
              : error._tag,
          ),
        )
      const byDefault = yield* siteIsPublic(server.url)
      expect(yield* retryAfter(byDefault, "999999")).toEqual({ seconds: 120, site: host })
      expect(yield* retryAfter(byDefault, "Fri, 01 Jan 2100 00:00:00 GMT")).toEqual({
        seconds: 120,
        site: host,
      })
      expect(yield* retryAfter(byDefault, "7")).toEqual({ seconds: 7, site: host })
      // An HTTP-date is counted from the Clock's now (the test clock starts at the epoch).
      expect(yield* retryAfter(byDefault, "Thu, 01 Jan 1970 00:00:30 GMT")).toEqual({
        seconds: 30,
        site: host,
      })
      const strict = yield* siteIsPublic(server.url, { WF7_MAX_RETRY_AFTER_SECONDS: "30" })
      expect(yield* retryAfter(strict, "999999")).toEqual({ seconds: 30, site: host })
    }),
  )

  it.scoped("out of file descriptors: a local resource error, not the site's", () =>
    Effect.gen(function* () {
      const server = yield* site
      const guarded = yield* siteIsPublic(server.url)
      const error = yield* Effect.flip(guarded.fetch("http://busy.test/contact"))
      expect(error._tag).toBe("LocalResourceExhausted")
      expect(error.message).toBe("Transport error (EMFILE)")
    }),
  )

  it.scoped("follows redirects, honours the meta charset, caps the body, maps 404", () =>
    Effect.gen(function* () {
      const server = yield* site
      const open = yield* fetcher({ WF7_ALLOW_PRIVATE_TARGETS: "true" })
      expect(textOf(yield* open.fetch(`${server.url}moved`))).toBe("<p>ua=true</p>")
      expect(textOf(yield* open.fetch(`${server.url}meta-charset`))).toContain("\u201cA\u201d")
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
    ["127.0.0.1", "a loopback"],
    ["0.0.0.0", "an unspecified"],
    ["10.0.0.8", "a private"],
    ["172.20.1.1", "a private"],
    ["192.168.1.1", "a private"],
    ["169.254.169.254", "a link-local"],
    ["100.64.0.1", "a carrier-grade NAT"],
    ["224.0.0.251", "a multicast"],
    ["::", "an unspecified"],
    ["::1", "a loopback"],
    ["fe80::1", "a link-local"],
    ["fd00::1", "a unique-local"],
    ["ff02::1", "a multicast"],
    ["::ffff:127.0.0.1", "a loopback"],
    ["::ffff:a00:1", "a private"],
    ["93.184.216.34", undefined],
    ["2606:4700::1111", undefined],
  ])("%s: %s address", (address, expected) => {
    expect(addressKind(address)).toBe(expected)
  })
})
