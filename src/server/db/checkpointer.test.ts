import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import SqliteDatabase from "better-sqlite3";
import { openDatabase, SQLITE_PAGE_SIZE, type Db, type OpenOptions } from "./database.js";

/*
 * WAL checkpoints in a worker thread, not in the commit that fills the WAL (db/checkpointer.ts),
 * and the page size of a new database, which sets how many WAL frames a commit writes.
 */

const opened: Array<{ database: Db; dir: string }> = [];
afterEach(async () => {
  for (const { database, dir } of opened.splice(0)) {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function open(options: OpenOptions = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-checkpoint-"));
  const file = path.join(dir, "db.sqlite");
  const database = openDatabase(`sqlite:${file}`, options);
  opened.push({ database, dir });
  return { database, size: () => fs.statSync(file).size };
}

/** Commits ~12 MB (1,500 pages of 8 KB): more than SQLite's automatic checkpoint threshold of 1,000 pages. */
async function commitTwelveMegabytes(database: Db): Promise<void> {
  await sql`create table filler (bytes blob)`.execute(database.db);
  await sql`insert into filler select randomblob(4000) from (
    with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) select i from n)`.execute(database.db);
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("background checkpoints", () => {
  it("without them, the commit that fills the WAL copies it into the database file itself", async () => {
    const { database, size } = open();
    await commitTwelveMegabytes(database);
    expect(size()).toBeGreaterThan(12_000_000);
  });

  it("with them, the commit returns with the pages still in the WAL, and the worker copies them within seconds", async () => {
    const errors: string[] = [];
    const { database, size } = open({ backgroundCheckpoints: { onError: (message) => errors.push(message) } });
    await commitTwelveMegabytes(database);
    expect(size()).toBeLessThan(1_000_000);
    expect(await eventually(() => size() > 12_000_000, 5_000)).toBe(true);
    expect(errors).toEqual([]);
    // Reads and writes go on while the worker runs; closing stops it.
    await sql`insert into filler values (x'00')`.execute(database.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from filler`.execute(database.db);
    expect(rows[0]!.n).toBe(3001);
  });

  it("a new database gets 8 KiB pages; an existing one keeps its own", async () => {
    const { database } = open();
    const { rows } = await sql<{ pageSize: number }>`pragma page_size`.execute(database.db);
    expect(rows[0]!.pageSize).toBe(SQLITE_PAGE_SIZE);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-pages-"));
    const file = path.join(dir, "old.sqlite");
    const old = new SqliteDatabase(file);
    old.exec("create table kept (v text); insert into kept values ('before')");
    old.close();
    const reopened = openDatabase(`sqlite:${file}`);
    opened.push({ database: reopened, dir });
    const after = await sql<{ pageSize: number }>`pragma page_size`.execute(reopened.db);
    expect(after.rows[0]!.pageSize).toBe(4096);
    const kept = await sql<{ v: string }>`select v from kept`.execute(reopened.db);
    expect(kept.rows).toEqual([{ v: "before" }]);
  });
});
