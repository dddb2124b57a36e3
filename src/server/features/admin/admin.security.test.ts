import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { addMember, createAccount, type TestAccount } from "@test/accounts-fixtures.js";
import { insertUser, signedIn, type TestUser } from "@test/factories.js";

/**
 * G1: function-level access to the operator API. Every endpoint × every caller: no token, a
 * wrong token, a non-bearer scheme and a signed-in person's session cookie (even one who
 * administers the account) are all 401 and change nothing; the operator token gets 2xx.
 */
describe("operator API access matrix (G1)", () => {
  const t = useTestApp({}, { scope: "suite" });
  let account: TestAccount;
  let member: TestUser;
  let sessionClient: TestClient;
  let counter = 0;

  beforeAll(async () => {
    account = await createAccount(t, { name: "Matrix Vendor", groups: ["Users"] });
    member = await insertUser(t);
    await addMember(t, account.id, member.email, [account.adminGroupId]);
    sessionClient = await signedIn(t, member);
  });

  type Call = { method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; url: string; body?: unknown; ok: number };
  /** Each endpoint, as a function giving a fresh valid request (unique emails, a removable member). */
  const endpoints: Record<string, () => Promise<Call>> = {
    "POST /admin/users": async () => ({
      method: "POST",
      url: "/admin/users",
      body: { email: `matrix-${++counter}@example.test`, firstName: "Grace", lastName: "Hopper" },
      ok: 201,
    }),
    "GET /admin/accounts": async () => ({ method: "GET", url: "/admin/accounts", ok: 200 }),
    "POST /admin/accounts": async () => ({
      method: "POST",
      url: "/admin/accounts",
      body: { name: `Matrix ${++counter}`, type: "reseller", mfaPolicy: "optional" },
      ok: 201,
    }),
    "GET /admin/accounts/{id}": async () => ({ method: "GET", url: `/admin/accounts/${account.id}`, ok: 200 }),
    "PATCH /admin/accounts/{id}": async () => ({
      method: "PATCH",
      url: `/admin/accounts/${account.id}`,
      body: { name: `Matrix Vendor ${++counter}` },
      ok: 200,
    }),
    "POST /admin/accounts/{id}/groups": async () => ({
      method: "POST",
      url: `/admin/accounts/${account.id}/groups`,
      body: { name: `Group ${++counter}` },
      ok: 201,
    }),
    "POST /admin/accounts/{id}/members": async () => ({
      method: "POST",
      url: `/admin/accounts/${account.id}/members`,
      body: { email: `invitee-${++counter}@example.test`, groupIds: [account.groups.Users] },
      ok: 201,
    }),
    "PUT /admin/accounts/{id}/members/{userId}/groups": async () => ({
      method: "PUT",
      url: `/admin/accounts/${account.id}/members/${member.id}/groups`,
      body: { groupIds: [account.adminGroupId, account.groups.Users] },
      ok: 200,
    }),
    "DELETE /admin/accounts/{id}/members/{userId}": async () => {
      const extra = await insertUser(t);
      await addMember(t, account.id, extra.email, [account.groups.Users!]);
      return { method: "DELETE", url: `/admin/accounts/${account.id}/members/${extra.id}`, ok: 204 };
    },
  };

  const roles = ["no token", "wrong token", "basic scheme", "session cookie", "operator token"] as const;
  type Role = (typeof roles)[number];

  async function send(role: Role, call: Call) {
    const url = `/api/v1${call.url}`;
    const payload = call.body as Record<string, unknown> | undefined;
    const base = { method: call.method, url, ...(payload ? { payload } : {}) };
    switch (role) {
      case "no token":
        return t.app.inject(base);
      case "wrong token":
        return t.app.inject({ ...base, headers: { authorization: `Bearer ${t.config.adminToken.slice(0, -1)}x` } });
      case "basic scheme":
        return t.app.inject({
          ...base,
          headers: { authorization: `Basic ${Buffer.from(`admin:${t.config.adminToken}`).toString("base64")}` },
        });
      case "session cookie":
        // A signed-in administrator of the account, with a valid CSRF token: still not an operator.
        return sessionClient.request(base);
      case "operator token":
        return t.app.inject({ ...base, headers: { authorization: `Bearer ${t.config.adminToken}` } });
    }
  }

  /** Everything an operator call could change, as one comparable value. */
  async function snapshot(): Promise<string> {
    const db = t.app.services.db;
    return JSON.stringify([
      await db.selectFrom("users").select("id").orderBy("id").execute(),
      await db.selectFrom("accounts").selectAll().orderBy("id").execute(),
      await db.selectFrom("accountGroups").select("id").orderBy("id").execute(),
      await db.selectFrom("groupMemberships").selectAll().orderBy("groupId").orderBy("userId").execute(),
      await db.selectFrom("oneTimeTokens").select("id").orderBy("id").execute(),
    ]);
  }

  /** Occurrences recorded (a row folded from repeated failures of one source counts each one). */
  async function eventCount(type: "admin_action" | "authz_fail"): Promise<number> {
    const rows = await t.app.services.db.selectFrom("securityEvents").select("occurrences").where("type", "=", type).execute();
    return rows.reduce((sum, row) => sum + Number(row.occurrences ?? 1), 0);
  }
  const adminEventCount = () => eventCount("admin_action");

  const cells = Object.keys(endpoints).flatMap((endpoint) => roles.map((role) => [endpoint, role] as const));

  it.each(cells)("G1: %s as %s", async (endpoint, role) => {
    const call = await endpoints[endpoint]!();
    const before = await adminEventCount();
    const deniedBefore = await eventCount("authz_fail");
    const state = await snapshot();
    const response = await send(role, call);
    if (role === "operator token") {
      expect(response.statusCode, response.body).toBe(call.ok);
      // Every operator call leaves an audit row.
      expect(await adminEventCount()).toBe(before + 1);
    } else {
      expect(response.statusCode, response.body).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: "unauthenticated" } });
      expect(await adminEventCount()).toBe(before);
      expect(await snapshot()).toBe(state);
      // The refusal itself is audited.
      expect(await eventCount("authz_fail")).toBe(deniedBefore + 1);
    }
  });
});
