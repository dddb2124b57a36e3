import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type OwnedTestApp } from "@test/create-test-app.js";
import { createTestDatabase, postgresBaseUrl, TEST_DIALECT, type TestDatabase } from "@test/database.js";
import { insertUser, openSession } from "@test/factories.js";
import { burst, expectUnavailable, nextProbe, startTcpProxy } from "@test/faults.js";

/*
 * PostgreSQL faults (finding 7) under load: backends terminated, the server made read-only, the
 * server gone. Every answer is the normal one or 503 `unavailable` with Retry-After, never a
 * 500; `/readyz` follows; and the same process serves normally again once the fault is gone.
 */

let app: OwnedTestApp | undefined;
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function adminQuery(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: postgresBaseUrl() });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** Ends every connection to the database except the caller's. */
function terminateBackends(name: string) {
  return adminQuery("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [
    name,
  ]);
}

async function appWithPerson(env: Record<string, string> = {}) {
  app = await createTestApp(env);
  const t = app;
  const user = await insertUser(t);
  const { client } = await openSession(t, user.id);
  let n = 0;
  const write = () => client.patch("/api/v1/me", { firstName: `Name${n++}` });
  const read = () => client.get("/api/v1/me");
  expect((await write()).statusCode).toBe(200);
  return { t, user, client, write, read };
}

type Answer = Awaited<ReturnType<Awaited<ReturnType<typeof appWithPerson>>["write"]>>;

/** Every answer is `ok` or an enveloped 503; returns how many were 503. */
function expectOkOrUnavailable(answers: Answer[], ok = 200): number {
  let unavailable = 0;
  for (const answer of answers) {
    if (answer.statusCode === ok) continue;
    expectUnavailable(answer);
    unavailable++;
  }
  return unavailable;
}

describe.skipIf(TEST_DIALECT !== "postgres")("PostgreSQL faults", () => {
  it("backends terminated under load: 200 or 503, never 500; served again without a restart", async () => {
    const { t, write, read } = await appWithPerson();
    const name = databaseName(t.config.databaseUrl);
    let killing = true;
    let kills = 0;
    const killer = (async () => {
      while (killing) {
        await terminateBackends(name);
        kills++;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const answers = await burst(300, 10, (i) => (i % 3 === 0 ? read() : write()));
    killing = false;
    await killer;
    expect(kills).toBeGreaterThan(3);
    const unavailable = expectOkOrUnavailable(answers);
    expect(unavailable).toBeGreaterThan(0);
    expect(t.logs.join("\n")).not.toContain('"unhandled error"');
    expect(t.logs.join("\n")).toMatch(/"dbCode":"57P01"|Connection terminated/);

    const after = await burst(40, 5, (i) => (i % 2 === 0 ? read() : write()));
    expect(after.map((a) => a.statusCode)).toEqual(after.map(() => 200));
    await nextProbe();
    expect((await t.app.inject("/readyz")).statusCode).toBe(200);
  });

  it("made read-only under load: writes 503, reads served, /readyz 503; writable again without a restart", async () => {
    const { t, write, read } = await appWithPerson();
    const name = databaseName(t.config.databaseUrl);
    // What a failover to a standby looks like to the pool: new sessions are read-only.
    await adminQuery(`alter database ${name} set default_transaction_read_only = on`);
    cleanups.push(
      async () => void (await adminQuery(`alter database ${name} reset default_transaction_read_only`).catch(() => undefined)),
    );
    await terminateBackends(name);

    const answers = await burst(120, 8, async (i) => (i % 2 === 0 ? { read: await read() } : { write: await write() }));
    const reads = answers.flatMap((a) => (a.read ? [a.read] : []));
    const writes = answers.flatMap((a) => (a.write ? [a.write] : []));
    expectOkOrUnavailable(reads);
    expect(writes.filter((w) => w.statusCode === 503).length).toBeGreaterThan(writes.length / 2);
    expectOkOrUnavailable(writes);
    expect(t.logs.join("\n")).toContain('"dbCode":"25006"');
    await nextProbe();
    const ready = await t.app.inject("/readyz");
    expect(ready.statusCode).toBe(503);
    expect(ready.headers["retry-after"]).toBeDefined();

    // Writable again: the pool's read-only connections leave it on their next failed write, so
    // after at most one failure per pooled connection every write goes through.
    await adminQuery(`alter database ${name} reset default_transaction_read_only`);
    const after = [];
    for (let i = 0; i < 20; i++) after.push(await write());
    expectOkOrUnavailable(after);
    expect(after.slice(-10).map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    await nextProbe();
    expect((await t.app.inject("/readyz")).statusCode).toBe(200);
  });

  it("the server gone (connections cut, new ones refused): 503, /readyz 503; back when it returns", async () => {
    const base = new URL(postgresBaseUrl());
    const proxy = await startTcpProxy({ host: base.hostname, port: Number(base.port || 5432) });
    cleanups.push(() => proxy.close());
    const testDb: TestDatabase = await createTestDatabase();
    cleanups.push(() => testDb.drop());
    const viaProxy = new URL(testDb.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port());
    const { t, write, read } = await appWithPerson({ DATABASE_URL: viaProxy.toString() });

    await proxy.down();
    const answers = await burst(30, 5, (i) => (i % 2 === 0 ? read() : write()));
    for (const answer of answers) expectUnavailable(answer);
    await nextProbe();
    expect((await t.app.inject("/readyz")).statusCode).toBe(503);
    expect(t.logs.join("\n")).not.toContain('"unhandled error"');

    await proxy.up();
    const after = await burst(20, 5, (i) => (i % 2 === 0 ? read() : write()));
    expect(after.map((a) => a.statusCode)).toEqual(after.map(() => 200));
    await nextProbe();
    expect((await t.app.inject("/readyz")).statusCode).toBe(200);
  });
});
