import { defineConfig } from "vitest/config";

// Generous timeouts: these tests start a real Dovecot and write thousands of files.
export default defineConfig({
  test: { include: ["src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
