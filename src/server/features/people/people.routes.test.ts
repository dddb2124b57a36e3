import { describe, expect, it } from "vitest";
import {
  adminRevokeSessionsResponseSchema,
  adminUpdateUserResponseSchema,
  adminUserDetailSchema,
  adminUserListSchema,
} from "../../../contracts/admin-users.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestApp } from "@test/create-test-app.js";
import { addMember, adminCall, createAccount, expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, openSession, signIn, signedInPerson, TEST_PASSWORD } from "@test/factories.js";
import { expectMailedTo } from "@test/expectations.js";
import { eventsOf, eventsOfType, readUser } from "@test/inspect.js";

/** The last `admin_action` of an operation, with its details parsed. */
async function lastAdminAction(t: TestApp, operation: string) {
  const rows = (await eventsOfType(t, "admin_action")).filter((e) => JSON.parse(e.details).operation === operation);
  const row = rows.at(-1);
  return row ? { ...row, details: JSON.parse(row.details) as Record<string, unknown> } : undefined;
}

describe("operator API: people", () => {
  const t = useTestApp();

  it("lists people by email, searches email and names in any case, filters by status and pages", async () => {
    const ada = await insertUser(t, { email: "ada.lovelace@example.com", firstName: "Ada", lastName: "Lovelace" });
    await insertUser(t, { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
    await insertUser(t, { email: "alan_t@example.com", firstName: "Alan", lastName: "Turing" });
    const all = adminUserListSchema.parse(expectStatus(await adminCall(t, "GET", "/users"), 200));
    expect(all.items.map((u) => u.email)).toEqual(["ada.lovelace@example.com", "alan_t@example.com", "grace@example.com"]);
    expect(all.items[0]).toMatchObject({ id: ada.id, status: "active", mfaEnabled: false, passkeys: 0, lastSignInAt: null });

    const search = async (query: string) =>
      adminUserListSchema.parse(expectStatus(await adminCall(t, "GET", `/users?${query}`), 200)).items.map((u) => u.email);
    expect(await search("q=HOPPER")).toEqual(["grace@example.com"]);
    expect(await search("q=gra")).toEqual(["grace@example.com"]);
    expect(await search("q=lovelace%40")).toEqual(["ada.lovelace@example.com"]);
    // LIKE wildcards match only themselves.
    expect(await search("q=_")).toEqual(["alan_t@example.com"]);
    expect(await search("q=%25")).toEqual([]);

    expectStatus(await adminCall(t, "PATCH", `/users/${ada.id}`, { status: "disabled" }), 200);
    expect(await search("status=disabled")).toEqual(["ada.lovelace@example.com"]);
    expect(await search("status=active")).toEqual(["alan_t@example.com", "grace@example.com"]);
    expect(await search("status=active&q=ada")).toEqual([]);

    const first = adminUserListSchema.parse(expectStatus(await adminCall(t, "GET", "/users?limit=2"), 200));
    expect(first.items).toHaveLength(2);
    const second = adminUserListSchema.parse(
      expectStatus(await adminCall(t, "GET", `/users?limit=2&cursor=${first.nextCursor ?? ""}`), 200),
    );
    expect(second.items.map((u) => u.email)).toEqual(["grace@example.com"]);
    expect(second.nextCursor).toBeNull();
  });

  it("H2: refuses bad list queries with validation_failed", async () => {
    for (const query of ["status=banned", "limit=0", "limit=101", "cursor=%25%25", "cursor=bm9wZQ", "role=admin", "q=a%00b"]) {
      const res = await adminCall(t, "GET", `/users?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe("validation_failed");
    }
  });

  it("shows one person: memberships with groups, MFA state, active sessions, last sign-in; unknown ids are 404", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    await openSession(t, user.id);
    const account = await createAccount(t, { name: "Acme", groups: ["Finance"] });
    await addMember(t, account.id, user.email, [account.adminGroupId, account.groups.Finance!]);
    const detail = adminUserDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/users/${user.id}`), 200));
    expect(detail).toMatchObject({
      id: user.id,
      email: user.email,
      status: "active",
      disabledAt: null,
      mfaEnabled: true,
      passkeys: 0,
      mfa: { totp: { enabled: true }, recoveryCodesLeft: enrollment!.recoveryCodes.length, passkeys: 0 },
    });
    expect(detail.mfa.totp.enabledAt).not.toBeNull();
    // The session of the sign-in (with the code step done through enrollment) and the opened one.
    expect(detail.activeSessions).toBe(2);
    expect(detail.lastSignInAt).not.toBeNull();
    expect(detail.memberships).toEqual([
      {
        account: { id: account.id, name: "Acme", type: "vendor" },
        groups: [
          { id: account.adminGroupId, name: "Administrators", admin: true },
          { id: account.groups.Finance, name: "Finance", admin: false },
        ],
        joinedAt: expect.any(String),
      },
    ]);
    for (const id of ["UR-000-000-000", "nope", "VA-000-000"]) {
      const res = await adminCall(t, "GET", `/users/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.code).toBe("not_found");
    }
  });

  it("disabling ends every session at once, refuses sign-in after a correct password, and enabling lets the person back", async () => {
    const { user, client } = await signedInPerson(t);
    const other = await openSession(t, user.id);
    const response = await adminCall(t, "PATCH", `/users/${user.id}`, { status: "disabled" });
    const body = adminUpdateUserResponseSchema.parse(expectStatus(response, 200));
    expect(body).toMatchObject({ status: "disabled", sessionsEnded: 2, activeSessions: 0, soleAdminOf: [] });
    expect(body.disabledAt).not.toBeNull();
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    const ended = await other.client.get("/api/v1/me");
    expect(ended.json().error.details).toEqual({ reason: "account_disabled" });

    const refused = await signIn(t.client(), user);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe("account_disabled");
    expect(refused.headers["set-cookie"]).toBeUndefined();
    // A wrong password still answers as any wrong password: the status is not told to a guesser.
    const wrong = await signIn(t.client(), { email: user.email, password: "wrong password entirely here" });
    expect(wrong.json().error.code).toBe("invalid_credentials");
    const failures = await eventsOf(t, user.id, "authn_login_fail");
    expect(failures.map((e) => JSON.parse(e.details).reason).sort()).toEqual(["account_disabled", "invalid_credentials"]);

    const event = await lastAdminAction(t, "disable_user");
    expect(event).toMatchObject({ userId: user.id, result: "success" });
    expect(event!.details).toMatchObject({
      via: "api",
      sessionsEnded: 2,
      changes: { status: { from: "active", to: "disabled" } },
    });
    expect(event!.details.requestId).toEqual(expect.any(String));
    expect(event!.details.requestId).toBe(response.headers["x-request-id"] ?? event!.details.requestId);
    await expectMailedTo(t, user.email, [/login was disabled/]);

    const enabled = adminUpdateUserResponseSchema.parse(
      expectStatus(await adminCall(t, "PATCH", `/users/${user.id}`, { status: "active", firstName: "Augusta" }), 200),
    );
    expect(enabled).toMatchObject({ status: "active", disabledAt: null, firstName: "Augusta", sessionsEnded: 0 });
    expect((await signIn(t.client(), user)).statusCode).toBe(200);
    expect((await lastAdminAction(t, "enable_user"))!.details).toMatchObject({
      changes: { firstName: { from: "Ada", to: "Augusta" }, status: { from: "disabled", to: "active" } },
    });
  });

  it("disabling the last administrator of an account is allowed and the answer lists those accounts", async () => {
    const user = await insertUser(t);
    const account = await createAccount(t, { name: "Solo Admin Co" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const body = adminUpdateUserResponseSchema.parse(
      expectStatus(await adminCall(t, "PATCH", `/users/${user.id}`, { status: "disabled" }), 200),
    );
    expect(body.soleAdminOf).toEqual([{ id: account.id, name: "Solo Admin Co" }]);
    expect(body.status).toBe("disabled");
  });

  it("H2: refuses bad updates with validation_failed and changes nothing; unknown ids are 404", async () => {
    const user = await insertUser(t);
    for (const body of [
      {},
      { status: "banned" },
      { status: "disabled", isAdmin: true },
      { firstName: "" },
      { lastName: "a\u0000b" },
    ]) {
      const res = await adminCall(t, "PATCH", `/users/${user.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
    expect(await readUser(t, user.id)).toMatchObject({ firstName: user.firstName, lastName: user.lastName });
    const detail = adminUserDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/users/${user.id}`), 200));
    expect(detail.status).toBe("active");
    const missing = await adminCall(t, "PATCH", "/users/UR-000-000-000", { status: "disabled" });
    expect(missing.statusCode).toBe(404);
    const refused = (await eventsOfType(t, "admin_action")).filter((e) => e.result === "failure");
    expect(refused.length).toBeGreaterThanOrEqual(6);
  });

  it("resets MFA for a lost phone: authenticator and recovery codes gone, sessions ended, mail sent, event recorded", async () => {
    const { user, client } = await signedInPerson(t, { mfa: true });
    expect((await signIn(t.client(), user)).json().status).toBe("mfa_required");
    const res = await adminCall(t, "POST", `/users/${user.id}/mfa/reset`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await client.get("/api/v1/me")).json().error.details).toEqual({ reason: "mfa_reset" });
    const detail = adminUserDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/users/${user.id}`), 200));
    expect(detail).toMatchObject({ mfaEnabled: false, mfa: { totp: { enabled: false }, recoveryCodesLeft: 0, passkeys: 0 } });
    expect(detail.activeSessions).toBe(0);
    expect((await signIn(t.client(), user)).json().status).toBe("authenticated");
    await expectMailedTo(t, user.email, [/Two-factor authentication was reset/]);
    const event = await lastAdminAction(t, "reset_mfa");
    expect(event).toMatchObject({ userId: user.id });
    expect(event!.details).toMatchObject({ totpRemoved: true, recoveryCodesRemoved: 10, passkeysRemoved: 0, via: "api" });
    expect((await adminCall(t, "POST", "/users/UR-000-000-000/mfa/reset")).statusCode).toBe(404);
  });

  it("revokes every session of a person and says how many", async () => {
    const user = await insertUser(t);
    const a = await openSession(t, user.id);
    await openSession(t, user.id);
    const body = adminRevokeSessionsResponseSchema.parse(
      expectStatus(await adminCall(t, "POST", `/users/${user.id}/sessions/revoke`), 200),
    );
    expect(body).toEqual({ revoked: 2 });
    expect((await a.client.get("/api/v1/me")).json().error.details).toEqual({ reason: "revoked_by_admin" });
    expect(
      adminRevokeSessionsResponseSchema.parse(expectStatus(await adminCall(t, "POST", `/users/${user.id}/sessions/revoke`), 200)),
    ).toEqual({
      revoked: 0,
    });
    expect((await lastAdminAction(t, "revoke_sessions"))!.details).toMatchObject({ revoked: 0 });
    expect((await adminCall(t, "POST", "/users/UR-000-000-000/sessions/revoke")).statusCode).toBe(404);
  });

  it("deletes a person as self-deletion does, refusing an account's last administrator (sole_admin)", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    const account = await createAccount(t, { name: "Kept Co" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const refused = await adminCall(t, "DELETE", `/users/${user.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: "sole_admin",
      details: { accounts: [{ id: account.id, name: "Kept Co" }] },
    });
    expect(await readUser(t, user.id)).toBeDefined();
    const audited = (await eventsOfType(t, "admin_action")).filter((e) => e.result === "failure").at(-1);
    expect(JSON.parse(audited!.details)).toMatchObject({
      operation: "DELETE /api/v1/admin/users/:id",
      status: 409,
      code: "sole_admin",
      targetUserId: user.id,
      requestId: expect.any(String),
    });

    const other = await insertUser(t);
    await addMember(t, account.id, other.email, [account.adminGroupId]);
    expect((await adminCall(t, "DELETE", `/users/${user.id}`)).statusCode).toBe(204);
    expect(await readUser(t, user.id)).toBeUndefined();
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    expect((await signIn(t.client(), { email: user.email, password: TEST_PASSWORD })).json().error.code).toBe(
      "invalid_credentials",
    );
    const event = await lastAdminAction(t, "delete_user");
    expect(event!.userId).toMatch(/^deleted:/);
    expect(await eventsOf(t, user.id)).toEqual([]);
    await expectMailedTo(t, user.email, [/login was deleted/]);
    expect((await adminCall(t, "DELETE", `/users/${user.id}`)).statusCode).toBe(404);
  });

  it("answers 401 with WWW-Authenticate: Bearer without a valid operator token, and a session cookie does not count", async () => {
    const { client } = await signedInPerson(t);
    const none = await t.app.inject({ method: "GET", url: "/api/v1/admin/users" });
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer realm="profile-center-admin"$/);
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/admin/users/UR-000-000-000/mfa/reset",
      headers: { authorization: "Bearer not-the-token-at-all-0123456789abcdef" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect((await client.get("/api/v1/admin/users")).statusCode).toBe(401);
  });
});
