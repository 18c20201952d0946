import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium, type Page } from "playwright-core"

/** Debian's chromium, where `.ci/run` installs it (`apt-get install -y chromium`). */
export const CHROMIUM = "/usr/bin/chromium"

/** docs/screenshots with WF7_UPDATE_SCREENSHOTS=1 (to commit them); else a scratch folder, so a run leaves the tree clean. */
export const screenshotsDir =
  process.env["WF7_UPDATE_SCREENSHOTS"] === "1"
    ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots")
    : path.join(os.tmpdir(), "wf7-screenshots")

/** The widths the console must fit: a laptop and a phone. */
export const widths = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const

/**
 * One Chromium page at `url`, closed with the scope, and every error the page logged to its console
 * (uncaught exceptions included): a console that logs an error fails its test.
 */
export const openPage = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      // As root (CI, containers) Chromium refuses to start inside its own sandbox.
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
      const page = await browser.newPage({ viewport: widths[0], acceptDownloads: true })
      const errors: Array<string> = []
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text())
      })
      page.on("pageerror", (error) => errors.push(error.message))
      await page.goto(url)
      return { browser, page, consoleErrors: (): ReadonlyArray<string> => errors }
    }),
    ({ browser }) => Effect.promise(() => browser.close()),
  )

/** Waits until the element's whole text matches, as the console redraws it. */
export const waitForText = (page: Page, selector: string, text: RegExp) =>
  page.locator(selector).filter({ hasText: text }).waitFor()

/**
 * The page's width the moment its body narrows to `width`, in one task: before any resize observer
 * or animation frame has run, as a phone turned upright shows it for a frame.
 */
const widthAtOnce = (page: Page, width: number) =>
  page.locator("body").evaluate((body, width) => {
    const style = body.style.width
    body.style.width = `${width}px`
    const scrollWidth = body.scrollWidth
    body.style.width = style
    return scrollWidth
  }, width)

/**
 * Each width in turn: the page must not scroll sideways, neither the moment it narrows nor once
 * its layout has settled; its screenshot goes to docs/screenshots/ as `<name>-<width>.png`. The
 * viewport is left at the first width.
 */
export const screenshotAtWidths = async (page: Page, name: string) => {
  mkdirSync(screenshotsDir, { recursive: true })
  const overflows: Array<string> = []
  for (const viewport of [...widths].reverse()) {
    const atOnce = await widthAtOnce(page, viewport.width)
    if (atOnce > viewport.width)
      overflows.push(`${name} is ${atOnce} px wide the moment it narrows to ${viewport.width} px`)
    await page.setViewportSize(viewport)
    const scrollWidth = await page.locator("html").evaluate((html) => html.scrollWidth)
    if (scrollWidth > viewport.width)
      overflows.push(`${name} is ${scrollWidth} px wide at ${viewport.width} px`)
    await page.screenshot({
      path: path.join(screenshotsDir, `${name}-${viewport.width}.png`),
      animations: "disabled",
    })
  }
  return overflows
}
