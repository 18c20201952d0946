import { describe, expect, it } from "@effect/vitest"
import { runCli } from "../support/Cli.js"

describe("wf7 db-url (real process)", () => {
  it("prints DATABASE_URL, password included, when one is set", async () => {
    const url = "postgres://wf7:s3cret@db.internal:5432/wf7"
    const result = await runCli(["db-url"], { env: { DATABASE_URL: url } })
    expect(result).toEqual({ code: 0, stdout: `${url}\n`, stderr: "" })
  })
})
