import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../src/server/db/database.js";
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from "./database.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

/*
 * `kill -9` of a real server process in the middle of a burst of writes: every write the server
 * acknowledged (201) is in the database afterwards, the database is consistent, and a server
 * started again on it serves.
 */

let server: ServerProcess | undefined;
let testDb: TestDatabase | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await testDb?.drop();
  testDb = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe(`kill -9 during writes (${TEST_DIALECT})`, () => {
  it("keeps every acknowledged write, and the database is consistent", async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-kill-"));
    testDb = await createTestDatabase();
    const databaseUrl = TEST_DIALECT === "sqlite" ? `sqlite:${path.join(dataDir, "pc.sqlite")}` : testDb.url;
    server = await startServerProcess({ databaseUrl, dataDir });
    const { origin, adminToken } = server;

    const acknowledged: string[] = [];
    let sent = 0;
    // Set just before the kill: from then on a failed request is expected.
    let killing = false;
    const writer = async () => {
      while (!killing) {
        const email = `kill-${sent++}@example.com`;
        try {
          const res = await fetch(`${origin}/api/v1/admin/users`, {
            method: "POST",
            headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
            body: JSON.stringify({ email, firstName: "Kill", lastName: "Nine" }),
          });
          if (res.status === 201) acknowledged.push(email);
          else if (!killing) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        } catch (error) {
          if (!killing) throw error;
        }
      }
    };
    const writers = Promise.all(Array.from({ length: 16 }, writer));
    let failed: unknown;
    writers.catch((error: unknown) => (failed = error));
    // Kill while the burst is at full speed, with many writes in flight.
    while (acknowledged.length < 150 && failed === undefined) await new Promise((r) => setTimeout(r, 5));
    expect(failed).toBeUndefined();
    const killedAfter = acknowledged.length;
    killing = true;
    await server.kill9();
    await writers;
    expect(server.child.signalCode).toBe("SIGKILL");
    expect(sent).toBeGreaterThan(killedAfter); // writes were in flight when it died

    const database = openDatabase(databaseUrl);
    try {
      const rows = await database.db.selectFrom("users").select("email").execute();
      const stored = new Set(rows.map((r) => r.email));
      const missing = acknowledged.filter((email) => !stored.has(email));
      expect(missing).toEqual([]);
      if (TEST_DIALECT === "sqlite") {
        const integrity = await sql<{ integrityCheck: string }>`pragma integrity_check`.execute(database.db);
        expect(integrity.rows).toEqual([{ integrityCheck: "ok" }]);
        expect((await sql`pragma foreign_key_check`.execute(database.db)).rows).toEqual([]);
      } else {
        // Every row of a committed user is whole: the admin API writes a user and its event together.
        const orphans = await sql<{ n: number }>`
          select count(*)::int as n from security_events e
          where e.user_id is not null and not exists (select 1 from users u where u.id = e.user_id)`.execute(database.db);
        expect(orphans.rows[0]?.n).toBe(0);
      }
      expect(await migrateToLatest(database.db)).toEqual([]);
    } finally {
      await database.close();
    }

    // A node started again on the same database serves at once (SQLite recovers its WAL).
    server = await startServerProcess({ databaseUrl, dataDir, encryptionKeys: server.encryptionKeys });
    const again = await fetch(`${server.origin}/api/v1/admin/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "after-restart@example.com", firstName: "After", lastName: "Restart" }),
    });
    expect(again.status).toBe(201);
  }, 120_000);
});
