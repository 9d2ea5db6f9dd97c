import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most of these tests wait on a real Dovecot, Postfix or a timer, not on the CPU: three
    // files at once take a third of the time of vitest's default on two cores (one at a time).
    maxWorkers: 3,
  },
});
