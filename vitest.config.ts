import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Unit and API tests. `TEST_DB=postgres` reruns the same files on PostgreSQL (test/global-setup.ts
 * finds or starts the server); web unit tests run only in the SQLite pass.
 */
const onPostgres = process.env.TEST_DB === "postgres";
export default defineConfig({
  // The web app's import aliases (vite.config.ts), for the web tests (`src/web/**/*.test.tsx`,
  // each marked `// @vitest-environment jsdom`, so the server suites stay in plain Node), and
  // `@test` for the shared test helpers in test/ (tsconfig.json `paths`).
  resolve: {
    alias: {
      "@contracts": fileURLToPath(new URL("./src/contracts", import.meta.url)),
      "@web": fileURLToPath(new URL("./src/web", import.meta.url)),
      "@test": fileURLToPath(new URL("./test", import.meta.url)),
    },
  },
  test: {
    include: onPostgres ? ["src/server/**/*.test.ts", "test/**/*.test.ts"] : ["src/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
  },
});
