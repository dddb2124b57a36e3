import { resolvePostgres } from "./postgres-server.js";

/**
 * Vitest global setup: for the PostgreSQL run, find or start a server once and hand its URL to
 * every worker (PC_TEST_PG_URL). Each test file then creates its own database on it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.TEST_DB !== "postgres") return async () => undefined;
  const server = await resolvePostgres();
  process.env.PC_TEST_PG_URL = server.url;
  console.log(`[test] PostgreSQL: ${server.description}`);
  return () => server.stop();
}
