import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { generateCorpus } from "../src/Sandbox/index.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const sh = promisify(execFile)

/** The first ```sh block after a README heading, as lines. */
const block = (readme: string, heading: string) => {
  const after = readme.slice(readme.indexOf(`${heading}\n`))
  return (/```sh\n([\s\S]*?)```/.exec(after)?.[1] ?? "").split("\n")
}

const linesOf = async (dir: string, command: string) =>
  (await sh("sh", ["-c", command], { cwd: dir })).stdout.split("\n").filter((line) => line !== "")

describe("README: the sections chain as printed", () => {
  it("the curator's day imports sample pages the sandbox section has not already queued", async () => {
    const readme = await fs.readFile(path.join(root, "README.md"), "utf8")
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-readme-"))
    try {
      // What `wf7 sandbox --write-urls urls.txt` writes with its default --sites and --seed.
      await fs.writeFile(
        path.join(dir, "urls.txt"),
        `${generateCorpus({ sites: 40, seed: 1 }).urls.join("\n")}\n`,
      )

      const enqueue = block(readme, "### Trying the daemon without spending credits").find((line) =>
        line.includes("npm run wf7 -- enqueue"),
      )
      const piped = /^(.*?)\|\s*npm run wf7 -- enqueue/.exec(enqueue ?? "")?.[1]
      const file = /enqueue --select (\S+)/.exec(enqueue ?? "")?.[1]
      const queued = await linesOf(dir, piped ?? `cat ${file}`)

      const day = block(readme, "### A curator's day")
      for (const line of day.filter((line) => /^(head|tail|grep|sed|sort)\b.*>\s*\S+$/.test(line))) {
        await sh("sh", ["-c", line], { cwd: dir })
      }
      const imported = await linesOf(dir, `cat ${/^jq -R \. (\S+)/m.exec(day.join("\n"))?.[1]}`)

      expect(queued.length).toBeGreaterThan(0)
      expect(imported.filter((url) => url.includes("/contact")).length).toBeGreaterThan(0)
      expect(imported.filter((url) => queued.includes(url))).toEqual([])
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})
