import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { inject } from "vitest"
import { clientLayer, MigrationsLive } from "../../src/Sql.js"

/** The test file's own database: its name and the DATABASE_URL a child process needs to reach it. */
export class TestDatabase extends Context.Tag("test/TestDatabase")<
  TestDatabase,
  { readonly name: string; readonly url: string }
>() {}

const server = () => inject("postgres")

export const databaseUrl = (name: string) => {
  const { host, port, password } = server()
  return `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/${name}`
}

const admin = () => {
  const { host, port, password } = server()
  return PgClient.make({
    host,
    port,
    username: "postgres",
    password: Redacted.make(password),
    database: "postgres",
  }).pipe(Effect.provide(Reactivity.layer))
}

const createDatabase = Effect.acquireRelease(
  Effect.gen(function* () {
    const name = `wf7_test_${randomUUID().replaceAll("-", "")}`
    const sql = yield* admin()
    yield* sql.unsafe(`CREATE DATABASE ${name}`)
    return name
  }).pipe(Effect.scoped),
  (name) =>
    Effect.scoped(Effect.flatMap(admin(), (sql) => sql.unsafe(`DROP DATABASE ${name} WITH (FORCE)`))).pipe(
      Effect.orDie,
    ),
)

/** A fresh, migrated database for one test file, with a pool like the daemon's (5 connections). */
export const TestDatabaseLive = Layer.unwrapScoped(
  Effect.gen(function* () {
    const name = yield* createDatabase
    const { host, port, password } = server()
    const client = clientLayer(
      { host, port, username: "postgres", password: Redacted.make(password), database: name },
      { poolSize: 5, connectTimeoutSeconds: 10 },
    )
    return Layer.provideMerge(MigrationsLive, client).pipe(
      Layer.merge(Layer.succeed(TestDatabase, { name, url: databaseUrl(name) })),
    )
  }),
).pipe(Layer.orDie)

/**
 * Every table of the test file's database emptied, and the fleet's one row back as migrated: built
 * under a test's world, it gives each test of a file that shares one database a fresh start.
 */
export const FreshTables = Layer.effectDiscard(
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`
      DO $$ BEGIN
        EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
                 FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'effect_sql_migrations');
      END $$`
    yield* sql`INSERT INTO fleet DEFAULT VALUES`
  }).pipe(Effect.orDie),
)
