import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Browser journeys in Debian's Chromium against the real built server; one file at a time (2 cores). */
export default defineConfig({
  // `@test` for the shared test helpers in test/, as in vitest.config.ts (tsconfig.json `paths`).
  resolve: {
    alias: { "@test": fileURLToPath(new URL("./test", import.meta.url)) },
  },
  test: {
    include: ["e2e/**/*.spec.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
  },
});
