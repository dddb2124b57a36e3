import net from "node:net";
import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestApp } from "@test/create-test-app.js";
import { createTestDatabase, TEST_DIALECT } from "@test/database.js";
import { sessionRow } from "@test/factories.js";
import { newUserRow } from "../features/users/users.repo.js";
import { migrateToLatest, openDatabase } from "./database.js";
import { migrations } from "./migrations/index.js";
import { nextProbe } from "@test/faults.js";

const TABLES = [
  "users",
  "accounts",
  "account_groups",
  "account_memberships",
  "group_memberships",
  "sessions",
  "mfa_factors",
  "recovery_codes",
  "one_time_tokens",
  "security_events",
  "mail_outbox",
  "throttles",
  "known_devices",
  "job_locks",
  "last_active_accounts",
  "write_probe",
  "disabled_users",
  "key_checks",
];

/** The newest migration of the last release (databases in the field have run up to it). */
const LAST_RELEASED = "0030-remember-active-account";

describe(`migrations on ${TEST_DIALECT}`, () => {
  it("run from empty, create every table, and are idempotent", async () => {
    const testDb = await createTestDatabase();
    const database = openDatabase(testDb.url);
    try {
      const applied = await migrateToLatest(database.db);
      expect(applied).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(database.db)).toEqual([]);
      const tables = await database.db.introspection.getTables();
      const names = tables.map((t) => t.name);
      for (const table of TABLES) expect(names).toContain(table);
      // A11: no default accounts after migrations.
      const users = await database.db
        .selectFrom("users")
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(users.n)).toBe(0);
    } finally {
      await database.close();
      await testDb.drop();
    }
  });

  it("upgrade a database of the last release: new migrations sort after every released one", async () => {
    // Kysely applies migrations in name order and refuses one named before a migration a
    // database already ran: a new migration placed among released ones would stop an upgraded
    // node at start. The released ones are those main shipped with (extend this list on release).
    const released = Object.keys(migrations).filter((name) => name <= LAST_RELEASED);
    const added = Object.keys(migrations).filter((name) => name > LAST_RELEASED);
    const testDb = await createTestDatabase();
    const database = openDatabase(testDb.url);
    try {
      const old = new Migrator({
        db: database.db,
        provider: { getMigrations: () => Promise.resolve(Object.fromEntries(released.map((n) => [n, migrations[n]!]))) },
      });
      expect((await old.migrateToLatest()).error).toBeUndefined();
      expect(await migrateToLatest(database.db)).toEqual(added);
    } finally {
      await database.close();
      await testDb.drop();
    }
  });

  it("foreign keys cascade (SQLite has them switched on)", async () => {
    const testDb = await createTestDatabase();
    const database = openDatabase(testDb.url);
    try {
      await migrateToLatest(database.db);
      const db = database.db;
      const user = { id: "UR-100-200-300", email: "fk@example.com", firstName: "F", lastName: "K", passwordHash: null };
      await db.insertInto("users").values(newUserRow(user, 1)).execute();
      await db
        .insertInto("sessions")
        .values(sessionRow({ id: "s1", tokenHash: "h1", userId: user.id }))
        .execute();
      await expect(
        db
          .insertInto("sessions")
          .values(sessionRow({ id: "s2", tokenHash: "h2", userId: "UR-999-999-999" }))
          .execute(),
      ).rejects.toThrow();
      await db.deleteFrom("users").where("id", "=", "UR-100-200-300").execute();
      expect(await db.selectFrom("sessions").selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});

/** A TCP proxy in front of PostgreSQL that can cut the database off and bring it back. */
async function startCuttableProxy(target: URL) {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut: () => {
      open = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore: () => {
      open = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/*
 * Each database has its own way to be unreachable, so each run registers the test of its own
 * database (not a skipped test for the other: a CI run skips nothing).
 */
describe("/readyz follows the database", () => {
  if (TEST_DIALECT === "postgres") {
    it("answers 503 while PostgreSQL is unreachable and 200 when it is back", async () => {
      const testDb = await createTestDatabase();
      const target = new URL(testDb.url);
      const proxy = await startCuttableProxy(target);
      const proxied = new URL(testDb.url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(proxy.port);
      const t = await createTestApp({ DATABASE_URL: proxied.toString() });
      try {
        expect((await t.app.inject("/readyz")).statusCode).toBe(200);
        proxy.cut();
        await nextProbe(); // the probe writes at most once a second (write-probe.ts)
        const down = await t.app.inject("/readyz");
        expect(down.statusCode).toBe(503);
        expect(down.json()).toEqual({ status: "unavailable" });
        expect((await t.app.inject("/healthz")).statusCode).toBe(200);
        proxy.restore();
        await nextProbe();
        expect((await t.app.inject("/readyz")).statusCode).toBe(200);
      } finally {
        await t.close();
        await proxy.close();
        await testDb.drop();
      }
    });
  } else {
    it("answers 503 once the SQLite database is closed", async () => {
      const t = await createTestApp();
      expect((await t.app.inject("/readyz")).statusCode).toBe(200);
      await t.database.close();
      expect((await t.app.inject("/readyz")).statusCode).toBe(503);
      await t.close(); // the app, the (already closed) database, and the temp folders
    });
  }
});
