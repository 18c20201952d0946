import { describe, expect, it } from "@effect/vitest"
import { execFile, spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { parse } from "yaml"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const read = (file: string) => fs.readFile(path.join(root, file), "utf8")
const run = promisify(execFile)

/** `Key=value` lines of a systemd unit (last one wins, as systemd reads them), `Environment=` split. */
const unitKeys = (text: string) => {
  const keys = new Map<string, string>()
  const environment = new Map<string, string>()
  for (const [, key = "", value = ""] of text.matchAll(/^([A-Za-z]+)=(.*)$/gm)) {
    keys.set(key, value)
    if (key === "Environment") for (const pair of value.split(/\s+/)) environment.set(...splitPair(pair))
  }
  return { keys, environment }
}

const splitPair = (pair: string): [string, string] => {
  const at = pair.indexOf("=")
  return [pair.slice(0, at), pair.slice(at + 1)]
}

/** The Dockerfile's last stage: where the image's user, health check and start command are. */
const finalStage = async () => {
  const text = await read("Dockerfile")
  const stages = text.split(/^FROM /m).slice(1)
  const last = stages[stages.length - 1] ?? ""
  const cmd = /^CMD (\[.*\])$/m.exec(last)?.[1]
  return { stages: stages.length, last, cmd: cmd === undefined ? [] : (JSON.parse(cmd) as Array<string>) }
}

describe("deployment files", () => {
  it("the Dockerfile is multi-stage, runs the daemon as a non-root user and checks /readyz", async () => {
    const { stages, last, cmd } = await finalStage()
    expect(stages).toBeGreaterThanOrEqual(2)
    expect(cmd).toEqual(["node", "dist/src/main.js", "daemon"])
    expect(last).toMatch(/^USER (?!root\b|0\b)\w+$/m)
    expect(last).toMatch(/^RUN npm pkg delete scripts\.prepare && npm ci --omit=dev && /m)
    expect(last).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m)
  })

  it("compose.yaml parses: Postgres, the simulator, and the daemon pointed at both", async () => {
    const compose = parse(await read("compose.yaml"))
    expect(Object.keys(compose.services).sort()).toEqual(["daemon", "postgres", "sandbox"])
    const daemon = compose.services.daemon
    expect(daemon.environment.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//)
    expect(daemon.environment.SCRAPER_API_BASE_URL).toBe("http://sandbox:8081/")
    expect(compose.services.sandbox.command).toEqual(expect.arrayContaining(["sandbox", "--port", "8081"]))
    expect(daemon.depends_on.postgres.condition).toBe("service_healthy")
    const grace = Number(daemon.environment.WF7_SHUTDOWN_GRACE_SECONDS)
    expect(Number.parseInt(daemon.stop_grace_period, 10)).toBeGreaterThan(grace)
  })

  it("the systemd unit stops the daemon gracefully: KillMode=mixed, TimeoutStopSec above the grace", async () => {
    const file = path.join(root, "deploy/wf7.service")
    const { keys, environment } = unitKeys(await fs.readFile(file, "utf8"))
    expect(keys.get("KillMode")).toBe("mixed")
    expect(keys.get("ExecStart")).toMatch(/ dist\/src\/main\.js daemon$/)
    const grace = Number(environment.get("WF7_SHUTDOWN_GRACE_SECONDS") ?? 30)
    expect(Number(keys.get("TimeoutStopSec"))).toBeGreaterThan(grace)
    // systemd's own check, where systemd is installed.
    const verified = await run("systemd-analyze", ["verify", file]).then(
      ({ stderr }) => stderr,
      (error: NodeJS.ErrnoException & { stderr?: string }) =>
        error.code === "ENOENT" ? "" : `systemd-analyze verify failed: ${error.stderr}`,
    )
    expect(verified).toBe("")
  })

  it(
    "the image's start command runs the daemon from a clean production install",
    { timeout: 240_000 },
    async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wf7-image-"))
      await fs.chmod(dir, 0o755)
      try {
        for (const file of ["package.json", "package-lock.json"])
          await fs.copyFile(path.join(root, file), path.join(dir, file))
        await fs.cp(path.join(root, "dist"), path.join(dir, "dist"), { recursive: true })
        // The image's install (checked above); --offline: the suite's own `npm ci` has filled the cache.
        await run("npm", ["pkg", "delete", "scripts.prepare"], { cwd: dir })
        await run("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], { cwd: dir })
        const [command = "node", ...args] = (await finalStage()).cmd
        const daemon = spawn(command === "node" ? process.execPath : command, args, {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? "",
            WF7_DATA_DIR: path.join(dir, "data"),
            PORT: "0",
            WF7_LOG_FORMAT: "json",
          },
        })
        let output = ""
        daemon.stdout.on("data", (chunk) => (output += chunk))
        daemon.stderr.on("data", (chunk) => (output += chunk))
        const exited = new Promise<number | null>((resolve) => daemon.on("close", resolve))
        try {
          const ready = await readyz(
            () => output,
            () => daemon.exitCode !== null,
          )
          expect(ready).toBe(200)
        } finally {
          daemon.kill("SIGTERM")
        }
        expect(await exited, output).toBe(0)
      } finally {
        await fs.rm(dir, { recursive: true, force: true })
      }
    },
  )
})

/** Polls /readyz on the port the daemon logs until it answers 200; fails if the daemon exits first. */
const readyz = async (output: () => string, exited: () => boolean): Promise<number> => {
  for (;;) {
    if (exited()) throw new Error(`the daemon exited before it was ready:\n${output()}`)
    const port = /Listening on http:\/\/[^"]*:(\d+)/.exec(output())?.[1]
    const status =
      port === undefined
        ? 0
        : await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (response) => response.status,
            () => 0,
          )
    if (status === 200) return status
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
