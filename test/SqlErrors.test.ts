import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as net from "node:net"
import Pg from "pg"
import { describeSqlError, isConnectionError } from "../src/SqlErrors.js"
import { TestDatabaseLive } from "./support/TestDatabase.js"

/** Which database failures are waited out and which fail the page: real ones first, then the rest by code. */

const refusedBy = (statement: Effect.Effect<unknown, SqlError>) => Effect.flip(statement)

it.layer(TestDatabaseLive)("errors from a real Postgres", (it) => {
  it.effect(
    "a statement Postgres refuses is not a connection error, and reads as the database's message",
    () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const nul = yield* refusedBy(sql`SELECT ${"a\u0000b"}::text`)
        expect(isConnectionError(nul)).toBe(false)
        expect(describeSqlError(nul)).toBe(
          'SqlError: invalid byte sequence for encoding "UTF8": 0x00 (22021)',
        )
        // More than 65,535 parameters: class 08 (protocol violation), yet it fails the same way every time.
        const rows = Array.from({ length: 70_000 }, (_, i) => ({ domain: `d${i}.example.com` }))
        const tooMany = yield* refusedBy(sql`INSERT INTO domains ${sql.insert(rows)}`)
        expect(describeSqlError(tooMany)).toMatch(/ \(08P01\)$/)
        expect(isConnectionError(tooMany)).toBe(false)
      }),
  )

  it.effect("a connection the server terminates is a connection error", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const terminated = yield* refusedBy(sql`SELECT pg_terminate_backend(pg_backend_pid())`)
      expect(describeSqlError(terminated)).toMatch(
        /^SqlError: terminating connection due to administrator command/,
      )
      expect(isConnectionError(terminated)).toBe(true)
    }),
  )
})

describe("errors of a database that cannot be reached", () => {
  it.effect("a refused connection is a connection error", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(closedPort)
      const client = new Pg.Client({
        host: "127.0.0.1",
        port,
        user: "postgres",
        password: "x",
        database: "x",
      })
      const cause = yield* Effect.flip(Effect.tryPromise(() => client.connect()))
      const refused = new SqlError({ cause: cause.error, message: "PgClient: Failed to connect" })
      expect(refused).toBeInstanceOf(SqlError)
      expect(describeSqlError(refused)).toMatch(/ECONNREFUSED/)
      expect(isConnectionError(refused)).toBe(true)
    }),
  )
})

describe("the rest, by SQLSTATE and driver code", () => {
  const failure = (message: string, code?: string) =>
    new SqlError({
      cause: Object.assign(new Error(message), code === undefined ? {} : { code }),
      message: "Failed",
    })

  it.each([
    ["connection failure", "08006"],
    ["crash shutdown", "57P02"],
    ["cannot connect now", "57P03"],
    ["could not serialize access", "40001"],
    ["deadlock detected", "40P01"],
    ["too many connections", "53300"],
    ["read ECONNRESET", "ECONNRESET"],
    ["write EPIPE", "EPIPE"],
    ["connect ETIMEDOUT", "ETIMEDOUT"],
    ["timeout exceeded when trying to connect", undefined],
    ["Connection terminated unexpectedly", undefined],
    ["Client has encountered a connection error and is not queryable", undefined],
  ])("retried: %s", (message, code) => expect(isConnectionError(failure(message, code))).toBe(true))

  it.each([
    ["duplicate key value violates unique constraint", "23505"],
    ["value too long for type character varying(10)", "22001"],
    ["canceling statement due to statement timeout", "57014"],
    // A message that merely reads like a dropped connection, raised by the database itself.
    ["Connection terminated", "P0001"],
    ["syntax error", undefined],
  ])("not retried: %s", (message, code) => expect(isConnectionError(failure(message, code))).toBe(false))

  it("an AggregateError of one refused connection per address is a connection error", () => {
    const perAddress = [Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" })]
    expect(
      isConnectionError(new SqlError({ cause: new AggregateError(perAddress), message: "Failed" })),
    ).toBe(true)
  })
})

const closedPort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
