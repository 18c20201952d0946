import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConsoleDirectory, ConsoleRouteLive, CONTENT_SECURITY_POLICY } from "../../src/Http/Console.js"
import { call, httpTestLayer } from "../support/Http.js"

// A built console as `npm run build` leaves it, beside a secret the server must never hand out.
const parent = mkdtempSync(join(tmpdir(), "wf7-console-"))
const built = join(parent, "console")
mkdirSync(join(built, "assets"), { recursive: true })
writeFileSync(
  join(built, "index.html"),
  '<!doctype html><script type="module" src="/console/assets/app-3f9a1c2e.js"></script>',
)
writeFileSync(join(built, "assets", "app-3f9a1c2e.js"), "console.log('wf7')")
writeFileSync(join(built, "assets", "app-3f9a1c2e.css"), "body{}")
writeFileSync(join(built, "favicon.svg"), "<svg/>")
writeFileSync(join(parent, "secret.env"), "WF7_API_KEY=do-not-serve")

const withConsole = (directory: string) =>
  httpTestLayer({ routes: ConsoleRouteLive.pipe(Layer.provide(Layer.succeed(ConsoleDirectory, directory))) })

// Raw HTTP throughout: static files, their headers and the CSP are outside the API's definition.
const text = (response: Response) => Effect.promise(() => response.text())

it.layer(withConsole(built))("the web console's files", (it) => {
  it.effect("/ is index.html, revalidated, under a strict Content-Security-Policy, without a token", () =>
    Effect.gen(function* () {
      const index = yield* call("/")
      expect(index.status).toBe(200)
      expect(index.headers.get("content-type")).toMatch(/^text\/html/)
      expect(index.headers.get("cache-control")).toBe("no-cache")
      expect(index.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY)
      expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/)
      expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline/)
      expect(yield* text(index)).toContain("app-3f9a1c2e.js")
    }),
  )

  it.effect("/console/* serves the files with their types; hashed names are cached for good", () =>
    Effect.gen(function* () {
      const script = yield* call("/console/assets/app-3f9a1c2e.js")
      expect(script.status).toBe(200)
      expect(script.headers.get("content-type")).toMatch(/javascript/)
      expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable")
      expect(yield* text(script)).toBe("console.log('wf7')")
      const style = yield* call("/console/assets/app-3f9a1c2e.css")
      expect(style.headers.get("content-type")).toMatch(/^text\/css/)
      const icon = yield* call("/console/favicon.svg")
      expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/)
      expect(icon.headers.get("cache-control")).toBe("no-cache")
    }),
  )

  it.effect("answer 404 for missing files, directories and any way out of the directory", () =>
    Effect.gen(function* () {
      for (const path of [
        "/console/missing.js",
        "/console/assets",
        "/console/",
        "/console/../secret.env",
        "/console/%2e%2e/secret.env",
        "/console/assets/%2e%2e%2f%2e%2e%2fsecret.env",
        "/console/..%5csecret.env",
      ]) {
        const response = yield* call(path)
        expect(response.status, path).toBe(404)
        expect(yield* text(response)).not.toContain("do-not-serve")
      }
    }),
  )
})

it.layer(withConsole(join(parent, "never-built")))("a checkout whose console is not built", (it) => {
  it.effect("/ says to run npm run build instead of failing", () =>
    Effect.gen(function* () {
      const response = yield* call("/")
      expect(response.status).toBe(503)
      expect(yield* text(response)).toContain("npm run build")
      expect((yield* call("/console/app.js")).status).toBe(404)
      expect((yield* call("/healthz")).status).toBe(200)
    }),
  )
})

process.on("exit", () => rmSync(parent, { recursive: true, force: true }))
