import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type OwnedTestApp } from "@test/create-test-app.js";
import { migrateToLatest, openDatabase } from "./database.js";
import { TEST_DIALECT } from "@test/database.js";
import { insertUser, openSession } from "@test/factories.js";
import { expectUnavailable, fillFileSystem, mountTinyFileSystem, nextProbe } from "@test/faults.js";

/*
 * SQLite faults (finding 7): a full file system, a read-only one, a write lock held past the busy
 * timeout. Every write answers 503 `unavailable` with Retry-After (never 500), `/readyz` says
 * 503 while writes fail, the log names the real SQLite error, and the service recovers by
 * itself once the fault is gone.
 */

const tinyFs = TEST_DIALECT === "sqlite" ? mountTinyFileSystem(1) : undefined;
tinyFs?.unmount();
const canMount = tinyFs !== undefined;

let app: OwnedTestApp | undefined;
let cleanups: Array<() => void> = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

async function appWithPerson(databaseUrl?: string) {
  app = await createTestApp(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  const user = await insertUser(app);
  const { client } = await openSession(app, user.id);
  const rename = (firstName: string) => client.patch("/api/v1/me", { firstName });
  expect((await rename("Before")).statusCode).toBe(200);
  return { t: app, user, client, rename };
}

describe.skipIf(TEST_DIALECT !== "sqlite")("SQLite faults", () => {
  it.skipIf(!canMount)(
    "a full file system: 503 unavailable, /readyz 503, SQLITE_FULL logged; recovers when space returns",
    async () => {
      const fsys = mountTinyFileSystem(16 * 1024)!;
      cleanups.push(() => fsys.unmount());
      const { t, client, rename } = await appWithPerson(`sqlite:${path.join(fsys.dir, "pc.sqlite")}`);
      expect((await t.app.inject("/readyz")).statusCode).toBe(200);

      const filler = fillFileSystem(fsys.dir);
      const before = t.logs.length;
      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(await rename(`Full${i}`));
      // Sign-ins write too (the session row, the event), in one transaction.
      answers.push(await t.client().post("/api/v1/auth/login", { email: "nobody@example.com", password: "x".repeat(12) }));
      for (const answer of answers) expectUnavailable(answer);
      await nextProbe();
      const ready = await t.app.inject("/readyz");
      expect(ready.statusCode).toBe(503);
      expect(ready.headers["retry-after"]).toBeDefined();
      const logs = t.logs.slice(before).join("\n");
      expect(logs).toContain('"dbCode":"SQLITE_FULL"');
      expect(logs).not.toContain("cannot rollback");
      expect(logs).not.toContain('"unhandled error"');

      fs.rmSync(filler);
      expect((await rename("After")).statusCode).toBe(200);
      expect((await client.get("/api/v1/me")).json()).toMatchObject({ firstName: "After" });
      await nextProbe();
      expect((await t.app.inject("/readyz")).statusCode).toBe(200);
    },
  );

  // A file system cannot be made read-only while SQLite holds files open on it for writing, so a
  // read-only volume meets a node when it starts: it must refuse to start, not serve reads
  // while every write would fail.
  it.skipIf(!canMount)("a read-only data directory: the node does not start on it", async () => {
    const fsys = mountTinyFileSystem(16 * 1024)!;
    cleanups.push(() => fsys.unmount());
    const file = path.join(fsys.dir, "pc.sqlite");
    const first = openDatabase(`sqlite:${file}`);
    await migrateToLatest(first.db);
    await first.close();
    fsys.remount("ro");
    cleanups.push(() => fsys.remount("rw"));
    expect(() => openDatabase(`sqlite:${file}`)).toThrow(expect.objectContaining({ code: "SQLITE_CANTOPEN" }));
  });

  // Where no file system can be mounted, the same SQLITE_FULL comes from the page limit: SQLite
  // answers exactly as it does when the disk is full, only the cause differs.
  it("a database at its page limit (SQLITE_FULL): 503 and recovery, on any machine", async () => {
    const { t, rename } = await appWithPerson();
    const { db } = t.database;
    const pages = await sql<{ pageCount: number }>`pragma page_count`.execute(db);
    await sql`pragma max_page_count = ${sql.lit(pages.rows[0]!.pageCount)}`.execute(db);
    const before = t.logs.length;
    let full = 0;
    for (let i = 0; i < 40; i++) {
      const answer = await rename(`Name${"x".repeat(40)}${i}`);
      expect([200, 503]).toContain(answer.statusCode);
      if (answer.statusCode === 503) {
        expectUnavailable(answer);
        full++;
      }
    }
    expect(full).toBeGreaterThan(0);
    expect(t.logs.slice(before).join("\n")).toContain('"dbCode":"SQLITE_FULL"');
    expect(t.logs.slice(before).join("\n")).not.toContain("cannot rollback");
    await sql`pragma max_page_count = 1073741823`.execute(db);
    expect((await rename("Recovered")).statusCode).toBe(200);
  });

  it("a write lock held past the busy timeout: 503 (SQLITE_BUSY), then served once it is released", async () => {
    const { t, client, rename } = await appWithPerson();
    const file = t.config.databaseUrl.replace(/^sqlite:/, "");
    const other = new SqliteDatabase(file);
    cleanups.push(() => other.close());
    other.exec("begin immediate");
    const before = t.logs.length;
    expectUnavailable(await rename("Locked"));
    expect(t.logs.slice(before).join("\n")).toContain('"dbCode":"SQLITE_BUSY');
    other.exec("rollback");
    expect((await rename("Unlocked")).statusCode).toBe(200);
    expect((await client.get("/api/v1/me")).json()).toMatchObject({ firstName: "Unlocked" });
  }, 30_000);
});
