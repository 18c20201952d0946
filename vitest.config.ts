import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    pool: "forks",
    // Most files wait on child processes and Postgres, not the CPU: three forks keep two cores busy
    // (vitest's default on two cores is a single fork, which runs the files one after another).
    maxWorkers: 3,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
