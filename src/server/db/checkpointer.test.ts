import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db, type OpenOptions } from "./database.js";

/* WAL checkpoints in a worker thread, not in the commit that fills the WAL (db/checkpointer.ts, issue 8). */

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

/** Commits ~6 MB (1,500 pages of 4 KB): more than SQLite's automatic checkpoint threshold of 1,000 pages. */
async function commitSixMegabytes(database: Db): Promise<void> {
  await sql`create table filler (bytes blob)`.execute(database.db);
  await sql`insert into filler select randomblob(4000) from (
    with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500) select i from n)`.execute(database.db);
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
    await commitSixMegabytes(database);
    expect(size()).toBeGreaterThan(6_000_000);
  });

  it("with them, the commit returns with the pages still in the WAL, and the worker copies them within seconds", async () => {
    const errors: string[] = [];
    const { database, size } = open({ backgroundCheckpoints: { onError: (message) => errors.push(message) } });
    await commitSixMegabytes(database);
    expect(size()).toBeLessThan(1_000_000);
    expect(await eventually(() => size() > 6_000_000, 5_000)).toBe(true);
    expect(errors).toEqual([]);
    // Reads and writes go on while the worker runs; closing stops it.
    await sql`insert into filler values (x'00')`.execute(database.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from filler`.execute(database.db);
    expect(rows[0]!.n).toBe(1501);
  });
});
