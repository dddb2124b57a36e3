import { buildTestGeoipDb } from "./geoip-fixture.js";
import { resolvePostgres } from "./postgres-server.js";

/**
 * Vitest global setup, once per run before any worker starts:
 * - the GeoIP test database is built here (and Debian's MaxMind DB writer installed when
 *   missing), not by the first test files that need it: two workers installing it at once on a
 *   fresh machine collided on apt's lock, and every test of the loser failed;
 * - for the PostgreSQL run, a server is found or started and its URL handed to every worker
 *   (PC_TEST_PG_URL). Each test file then creates its own database on it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  buildTestGeoipDb();
  if (process.env.TEST_DB !== "postgres") return async () => undefined;
  const server = await resolvePostgres();
  process.env.PC_TEST_PG_URL = server.url;
  console.log(`[test] PostgreSQL: ${server.description}`);
  return () => server.stop();
}
