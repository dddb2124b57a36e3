import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { secondNode } from "@test/create-test-app.js";
import { insertUser, nextCode, signedInPerson, signInWithPassword, TEST_PASSWORD } from "@test/factories.js";
import { expectMailedTo } from "@test/expectations.js";
import { eventsOf } from "@test/inspect.js";
import { deletionCheckSchema } from "../../../../contracts/security.js";
import { pseudonymousUserId } from "./pseudonym.js";

const t = useTestApp({}, { scope: "suite" });

function deleteMe(client: TestClient, body: Record<string, unknown>) {
  return client.delete("/api/v1/me", { password: TEST_PASSWORD, ...body });
}

/** An account with an Administrators group holding the given people. */
async function accountWithAdmins(id: string, name: string, adminIds: string[]) {
  const { db } = t.app.services;
  const now = t.clock.now();
  await db
    .insertInto("accounts")
    .values({ id, name, type: "vendor", mfaPolicy: "optional", createdAt: now, updatedAt: now })
    .execute();
  const groupId = `GR-${id.slice(3)}-000`;
  await db
    .insertInto("accountGroups")
    .values({ id: groupId, accountId: id, name: "Administrators", isAdmin: 1, createdAt: now })
    .execute();
  for (const userId of adminIds) {
    await db.insertInto("accountMemberships").values({ accountId: id, userId, joinedAt: now }).execute();
    await db.insertInto("groupMemberships").values({ groupId, userId, accountId: id, addedAt: now }).execute();
  }
}

/** Rows that belong to the person, per table (raw SQL, the same on both databases). */
async function countRows(userId: string) {
  const tables = [
    "users",
    "sessions",
    "mfa_factors",
    "recovery_codes",
    "account_memberships",
    "group_memberships",
    "known_devices",
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const column = table === "users" ? "id" : "user_id";
    const result = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${userId}`.execute(
      t.app.services.db.withoutPlugins(),
    );
    counts[table] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

describe("DELETE /me: refusals change nothing", () => {
  it("400 validation_failed when the typed email is not the account's", async () => {
    const { client, user } = await signedInPerson(t);
    const response = await deleteMe(client, { confirmEmail: `x${user.email}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "validation_failed",
      details: { fields: { confirmEmail: expect.any(String) } },
    });
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("C11: 401 invalid_password with a wrong password, even from a brand-new session", async () => {
    const { client, user } = await signedInPerson(t);
    const response = await deleteMe(client, { password: "not the password at all", confirmEmail: user.email });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("invalid_password");
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("C11: with MFA on, a code is required (400 invalid_code without or with a wrong one)", async () => {
    const { client, user } = await signedInPerson(t, { mfa: true });
    const none = await deleteMe(client, { confirmEmail: user.email });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe("invalid_code");
    const wrong = await deleteMe(client, { confirmEmail: user.email, code: "000000" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe("invalid_code");
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("C11: from a session signed in long ago, the password and a code in the request itself are the fresh authentication", async () => {
    const { client, user, enrollment } = await signedInPerson(t, { mfa: true });
    t.clock.advance(50 * 60_000);
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    const response = await deleteMe(client, { confirmEmail: user.email, code: enrollment?.recoveryCodes[0] });
    expect(response.statusCode, response.body).toBe(204);
  });

  it("409 sole_admin naming the accounts while the person is their last administrator", async () => {
    const { client, user } = await signedInPerson(t);
    const other = await insertUser(t);
    await accountWithAdmins("VA-100-001", "Solo Vendor", [user.id]);
    await accountWithAdmins("VA-100-002", "Shared Vendor", [user.id, other.id]);
    const response = await deleteMe(client, { confirmEmail: user.email });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: "sole_admin",
      details: { accounts: [{ id: "VA-100-001", name: "Solo Vendor" }] },
    });
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("GET /me/deletion names the same accounts before anything is typed, and changes nothing", async () => {
    const { client, user } = await signedInPerson(t);
    expect(deletionCheckSchema.parse((await client.get("/api/v1/me/deletion")).json())).toEqual({ soleAdminOf: [] });
    await accountWithAdmins("VA-100-011", "Lone Vendor", [user.id]);
    expect(deletionCheckSchema.parse((await client.get("/api/v1/me/deletion")).json())).toEqual({
      soleAdminOf: [{ id: "VA-100-011", name: "Lone Vendor" }],
    });
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    expect((await t.client().get("/api/v1/me/deletion")).statusCode).toBe(401);
  });

  it("F1: without the CSRF token: 403 and nothing deleted", async () => {
    const { client, user } = await signedInPerson(t);
    const response = await client.request({
      method: "DELETE",
      url: "/api/v1/me",
      payload: { password: TEST_PASSWORD, confirmEmail: user.email },
      csrf: false,
    });
    expect(response.statusCode).toBe(403);
    expect((await countRows(user.id)).users).toBe(1);
  });
});

describe("J3, C8: deleting the account", () => {
  it("J3: 204 with Clear-Site-Data and a cleared cookie; the person's rows are gone; events keep only a pseudonym", async () => {
    const { client, user, enrollment } = await signedInPerson(t, { mfa: true });
    const other = await insertUser(t);
    await accountWithAdmins("VA-200-001", "Kept Vendor", [user.id, other.id]);
    const before = await countRows(user.id);
    expect(before).toMatchObject({ users: 1, mfa_factors: 1, recovery_codes: 10, account_memberships: 1, group_memberships: 1 });
    expect(before.sessions).toBeGreaterThan(0);
    const eventCount = (await eventsOf(t, user.id)).length;
    const response = await deleteMe(client, {
      confirmEmail: ` ${user.email.toUpperCase()} `,
      code: nextCode(t, enrollment?.secret ?? new Uint8Array()),
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(response.headers["clear-site-data"]).toBe('"cache", "cookies", "storage"');
    const cookie = String(response.headers["set-cookie"]);
    expect(cookie).toMatch(/pc_session=;/);
    expect(cookie).toMatch(/Max-Age=0/);
    expect(await countRows(user.id)).toEqual({
      users: 0,
      sessions: 0,
      mfa_factors: 0,
      recovery_codes: 0,
      account_memberships: 0,
      group_memberships: 0,
      known_devices: 0,
    });
    expect(await eventsOf(t, user.id)).toHaveLength(0);
    const pseudonym = pseudonymousUserId(user.id, t.config.encryptionKeys[0]?.key ?? new Uint8Array());
    expect(pseudonym).toMatch(/^deleted:[\w-]{22}$/);
    expect(pseudonym).not.toContain(user.id);
    const kept = await eventsOf(t, pseudonym);
    expect(kept.length).toBeGreaterThanOrEqual(eventCount + 1);
    expect(kept.map((e) => e.type)).toContain("user_deleted");
    expect(JSON.stringify(kept)).not.toContain(user.email);
    expect(JSON.stringify(kept)).not.toContain(user.id);
    // The account itself and its other administrator stay.
    expect(await t.app.services.db.selectFrom("accounts").select("id").where("id", "=", "VA-200-001").execute()).toHaveLength(1);
  });

  it("J3: signing in afterwards fails exactly like an unknown email; the address can be provisioned again", async () => {
    const { client, user } = await signedInPerson(t);
    expect((await deleteMe(client, { confirmEmail: user.email })).statusCode).toBe(204);
    const deleted = await signInWithPassword(t, user);
    const unknown = await signInWithPassword(t, { email: `nobody-${user.email}` });
    expect(deleted.response.statusCode).toBe(401);
    expect(deleted.response.json()).toEqual(unknown.response.json());
    const again = await insertUser(t, { email: user.email });
    expect(again.id).not.toBe(user.id);
  });

  it("J3: a confirmation goes to the old address", async () => {
    const { client, user } = await signedInPerson(t);
    expect((await deleteMe(client, { confirmEmail: user.email })).statusCode).toBe(204);
    await expectMailedTo(t, user.email, ["Your Profile Center login was deleted"]);
  });

  it("C8: with two live sessions, deleting from one makes both answer 401 at once", async () => {
    const user = await insertUser(t);
    const a = (await signInWithPassword(t, user)).client;
    const b = (await signInWithPassword(t, user)).client;
    expect((await b.get("/api/v1/me")).statusCode).toBe(200);
    expect((await deleteMe(a, { confirmEmail: user.email })).statusCode).toBe(204);
    expect((await a.get("/api/v1/me")).statusCode).toBe(401);
    expect((await b.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("C8: the same on a second app node sharing the database", async () => {
    const node = await secondNode(t);
    try {
      const user = await insertUser(t);
      const a = (await signInWithPassword(t, user)).client;
      const b = (await signInWithPassword(t, user, { client: node.client() })).client;
      expect((await b.get("/api/v1/me")).statusCode).toBe(200);
      expect((await deleteMe(a, { confirmEmail: user.email })).statusCode).toBe(204);
      expect((await b.get("/api/v1/me")).statusCode).toBe(401);
      const onNode = node.client();
      onNode.setSessionToken(a.sessionToken() ?? "gone-token-000000000000000000");
      expect((await onNode.get("/api/v1/me")).statusCode).toBe(401);
    } finally {
      await node.close();
    }
  });
});
