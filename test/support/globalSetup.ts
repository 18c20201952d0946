import { Effect, Exit, Redacted, Scope } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { TestProject } from "vitest/node"
import { embeddedPostgres } from "../../src/EmbeddedPostgres.js"

/** One real PostgreSQL server for the whole run; each test file makes its own database on it. */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf7-test-"))
  fs.chmodSync(dir, 0o755)
  const scope = Effect.runSync(Scope.make())
  const connection = await Effect.runPromise(
    embeddedPostgres({ dataDir: path.join(dir, "data"), persistent: false, database: "postgres" }).pipe(
      Scope.extend(scope),
    ),
  )
  project.provide("postgres", {
    host: connection.host,
    port: connection.port,
    password: Redacted.value(connection.password),
  })
  return async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { host: string; port: number; password: string }
  }
}
