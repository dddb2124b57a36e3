import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from "@test/database.js";
import { useTestApp } from "@test/use-test-app.js";
import { migrateToLatest, openDatabase, type Db } from "./database.js";
import { createWriteProbe } from "./write-probe.js";

describe(`write probe on ${TEST_DIALECT}`, () => {
  let opened: { database: Db; testDb: TestDatabase } | undefined;
  afterEach(async () => {
    await opened?.database.close();
    await opened?.testDb.drop();
    opened = undefined;
  });

  async function open() {
    const testDb = await createTestDatabase();
    const database = openDatabase(testDb.url, { poolSize: 2 });
    opened = { database, testDb };
    await migrateToLatest(database.db);
    return database;
  }

  it("answers true when a write goes through, and false when the database refuses writes", async () => {
    const database = await open();
    let now = 1_000_000;
    const probe = createWriteProbe(database.db, database.dialect, { now: () => now });
    expect(await probe()).toBe(true);
    // A read still answers, but writes are refused (a read-only PostgreSQL, a table SQLite cannot write).
    if (TEST_DIALECT === "postgres") {
      await sql`alter table write_probe add constraint probe_refused check (probed_at < 0) not valid`.execute(database.db);
    } else {
      await sql`create trigger probe_refused before update on write_probe begin select raise(abort, 'refused'); end`.execute(
        database.db,
      );
    }
    now += 1_000;
    expect(await database.ping()).toBe(true);
    expect(await probe()).toBe(false);
  });

  it("writes at most once per interval, however often it is asked", async () => {
    const database = await open();
    let now = 5_000_000;
    const probe = createWriteProbe(database.db, database.dialect, { now: () => now, intervalMs: 1_000 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => probe()));
    expect(answers.every(Boolean)).toBe(true);
    const stored = async () =>
      (await sql<{ probedAt: number }>`select probed_at from write_probe`.execute(database.db)).rows.map((r) =>
        Number(r.probedAt),
      );
    // SQLite commits the probe's row; PostgreSQL rolls it back and leaves nothing.
    expect(await stored()).toEqual(TEST_DIALECT === "sqlite" ? [5_000_000] : []);
    now += 999;
    await probe();
    expect(await stored()).toEqual(TEST_DIALECT === "sqlite" ? [5_000_000] : []);
    now += 1;
    await probe();
    expect(await stored()).toEqual(TEST_DIALECT === "sqlite" ? [5_001_000] : []);
  });
});

describe("/readyz", () => {
  const t = useTestApp();
  it("is 200 while the database takes writes, 503 with Retry-After once it is closed", async () => {
    expect((await t.app.inject("/readyz")).json()).toEqual({ status: "ready" });
    await t.database.close();
    const res = await t.app.inject("/readyz");
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
    expect(res.json()).toEqual({ status: "unavailable" });
  });
});
