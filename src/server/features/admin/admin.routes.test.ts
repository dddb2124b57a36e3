import { describe, expect, it } from "vitest";
import { adminAccountDetailSchema, adminAccountListSchema, adminAccountSchema } from "../../../contracts/admin.js";
import { userSchema } from "../../../contracts/me.js";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall, createAccount, expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, signedIn, TEST_PASSWORD } from "@test/factories.js";
import { eventsOfType } from "@test/inspect.js";

describe("operator API", () => {
  const t = useTestApp({}, { scope: "suite" });

  it("creates accounts with platform ids and their Administrators group", async () => {
    const vendor = adminAccountSchema.parse(
      expectStatus(await adminCall(t, "POST", "/accounts", { name: "Acme Vendor", type: "vendor", mfaPolicy: "required" }), 201),
    );
    expect(vendor.id).toMatch(/^VA-\d{3}-\d{3}$/);
    expect(vendor).toMatchObject({ name: "Acme Vendor", type: "vendor", mfaPolicy: "required" });
    expect(vendor.groups).toEqual([{ id: expect.stringMatching(/^GR-\d{3}-\d{3}-\d{3}$/), name: "Administrators", admin: true }]);
    for (const type of ["distributor", "reseller"] as const) {
      const account = expectStatus<{ id: string; mfaPolicy: string }>(
        await adminCall(t, "POST", "/accounts", { name: `A ${type}`, type }),
        201,
      );
      expect(account.id).toMatch(/^PA-\d{3}-\d{3}$/);
      expect(account.mfaPolicy).toBe("optional");
    }
    const [event] = (await eventsOfType(t, "admin_action")).filter((e) => e.accountId === vendor.id);
    expect(JSON.parse(event!.details)).toMatchObject({ operation: "create_account", via: "api" });
  });

  it("H2: refuses bad account input with validation_failed and creates nothing", async () => {
    for (const body of [
      { name: "", type: "vendor" },
      { name: "X", type: "supplier" },
      { name: "X", type: "vendor", mfaPolicy: "always" },
      { name: "X", type: "vendor", isAdmin: true },
      { name: "a\u0000b", type: "vendor" },
    ]) {
      const res = await adminCall(t, "POST", "/accounts", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe("validation_failed");
    }
    const res = await adminCall(t, "PATCH", "/accounts/VA-000-000-000", {});
    expect(res.statusCode).toBe(400);
  });

  it("renames an account and changes its policy; unknown ids are 404", async () => {
    const account = await createAccount(t, { name: "Old Name" });
    const updated = expectStatus<{ name: string; mfaPolicy: string }>(
      await adminCall(t, "PATCH", `/accounts/${account.id}`, { name: "New Name", mfaPolicy: "suggested" }),
      200,
    );
    expect(updated).toMatchObject({ name: "New Name", mfaPolicy: "suggested" });
    const event = (await eventsOfType(t, "admin_action")).filter((e) => e.accountId === account.id).at(-1);
    expect(JSON.parse(event!.details)).toMatchObject({
      operation: "update_account",
      changes: { name: { from: "Old Name", to: "New Name" }, mfaPolicy: { from: "optional", to: "suggested" } },
    });
    expect((await adminCall(t, "PATCH", "/accounts/VA-000-000", { name: "Nope" })).statusCode).toBe(404);
    expect((await adminCall(t, "GET", "/accounts/VA-000-000")).statusCode).toBe(404);
    expect((await adminCall(t, "POST", "/accounts/VA-000-000/groups", { name: "G" })).statusCode).toBe(404);
  });

  it("creates groups with GR- ids; a duplicate name (any case) is 409", async () => {
    const account = await createAccount(t, { name: "Groups Inc" });
    const group = expectStatus<{ id: string; name: string; admin: boolean }>(
      await adminCall(t, "POST", `/accounts/${account.id}/groups`, { name: "Finance" }),
      201,
    );
    expect(group).toEqual({ id: expect.stringMatching(/^GR-/), name: "Finance", admin: false });
    const dup = await adminCall(t, "POST", `/accounts/${account.id}/groups`, { name: "finance" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe("conflict");
  });

  it("creates users with UR- ids (policy-checked password); a taken email is 409 email_taken", async () => {
    const user = userSchema.parse(
      expectStatus(
        await adminCall(t, "POST", "/users", {
          email: "New.Person@Example.test",
          firstName: "New",
          lastName: "Person",
          password: TEST_PASSWORD,
        }),
        201,
      ),
    );
    expect(user.id).toMatch(/^UR-\d{3}-\d{3}-\d{3}$/);
    expect(user.email).toBe("new.person@example.test");
    // The password works for signing in.
    await signedIn(t, { email: user.email, password: TEST_PASSWORD });
    const taken = await adminCall(t, "POST", "/users", { email: "new.person@example.test", firstName: "A", lastName: "B" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("email_taken");
    const weak = await adminCall(t, "POST", "/users", {
      email: "weak@example.test",
      firstName: "A",
      lastName: "B",
      password: "password",
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: "weak_password", details: { reason: expect.any(String) } });
    const row = await t.app.services.db
      .selectFrom("users")
      .select("passwordHash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("adds an existing user at once, with membership_added for that user", async () => {
    const account = await createAccount(t, { name: "Members Ltd", groups: ["Users", "Finance"] });
    const person = await insertUser(t);
    const res = expectStatus(
      await adminCall(t, "POST", `/accounts/${account.id}/members`, {
        email: person.email.toUpperCase(),
        groupIds: [account.groups.Users, account.groups.Finance],
      }),
      201,
    );
    expect(res).toMatchObject({ status: "added", userId: person.id, expiresAt: null });
    const detail = adminAccountDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/accounts/${account.id}`), 200));
    expect(detail.members).toEqual([
      expect.objectContaining({ userId: person.id, groupIds: [account.groups.Users, account.groups.Finance].sort() }),
    ]);
    const added = (await eventsOfType(t, "membership_added")).filter((e) => e.userId === person.id);
    expect(added).toHaveLength(1);
    expect(added[0]!.accountId).toBe(account.id);
    const again = await adminCall(t, "POST", `/accounts/${account.id}/members`, {
      email: person.email,
      groupIds: [account.groups.Users],
    });
    expect(again.statusCode).toBe(409);
  });

  it("refuses group ids of another account with 400 naming groupIds, and changes nothing", async () => {
    const mine = await createAccount(t, { name: "Mine", groups: ["Users"] });
    const other = await createAccount(t, { name: "Other", groups: ["Users"] });
    const person = await insertUser(t);
    const res = await adminCall(t, "POST", `/accounts/${mine.id}/members`, {
      email: person.email,
      groupIds: [other.groups.Users],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "validation_failed", details: { fields: { groupIds: expect.any(String) } } });
    const none = await adminCall(t, "POST", `/accounts/${mine.id}/members`, { email: person.email, groupIds: [] });
    expect(none.statusCode).toBe(400);
    const members = await t.app.services.db
      .selectFrom("accountMemberships")
      .selectAll()
      .where("userId", "=", person.id)
      .execute();
    expect(members).toEqual([]);
  });

  it("changes a member's groups; refuses to leave the account without an administrator (sole_admin)", async () => {
    const account = await createAccount(t, { name: "Admins Co", groups: ["Users"] });
    const a = await insertUser(t);
    const b = await insertUser(t);
    await adminCall(t, "POST", `/accounts/${account.id}/members`, { email: a.email, groupIds: [account.adminGroupId] });
    const demote = await adminCall(t, "PUT", `/accounts/${account.id}/members/${a.id}/groups`, {
      groupIds: [account.groups.Users],
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error).toMatchObject({
      code: "sole_admin",
      details: { accounts: [{ id: account.id, name: "Admins Co" }] },
    });
    await adminCall(t, "POST", `/accounts/${account.id}/members`, { email: b.email, groupIds: [account.adminGroupId] });
    const ok = expectStatus<{ groupIds: string[] }>(
      await adminCall(t, "PUT", `/accounts/${account.id}/members/${a.id}/groups`, { groupIds: [account.groups.Users] }),
      200,
    );
    expect(ok.groupIds).toEqual([account.groups.Users]);
    expect((await eventsOfType(t, "membership_groups_changed")).some((e) => e.userId === a.id)).toBe(true);
    // b is now the last administrator.
    expect((await adminCall(t, "DELETE", `/accounts/${account.id}/members/${b.id}`)).json().error.code).toBe("sole_admin");
    // Refused operator calls are audited as failed admin actions.
    const refused = (await eventsOfType(t, "admin_action")).filter((e) => e.accountId === account.id && e.result === "failure");
    expect(refused.map((e) => JSON.parse(e.details))).toEqual([
      expect.objectContaining({
        operation: "PUT /api/v1/admin/accounts/:id/members/:userId/groups",
        status: 409,
        code: "sole_admin",
      }),
      expect.objectContaining({
        operation: "DELETE /api/v1/admin/accounts/:id/members/:userId",
        status: 409,
        code: "sole_admin",
      }),
    ]);
  });

  it("refuses concurrent removals that would leave no administrator: exactly one of two succeeds", async () => {
    const account = await createAccount(t, { name: "Race Ltd" });
    const a = await insertUser(t);
    const b = await insertUser(t);
    for (const user of [a, b]) {
      expectStatus(
        await adminCall(t, "POST", `/accounts/${account.id}/members`, { email: user.email, groupIds: [account.adminGroupId] }),
        201,
      );
    }
    const results = await Promise.all([
      adminCall(t, "DELETE", `/accounts/${account.id}/members/${a.id}`),
      adminCall(t, "DELETE", `/accounts/${account.id}/members/${b.id}`),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409]);
    const detail = adminAccountDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/accounts/${account.id}`), 200));
    expect(detail.members).toHaveLength(1);
    expect(detail.members[0]!.groupIds).toEqual([account.adminGroupId]);
  });

  it("removes members; the last administrator cannot be removed (409 sole_admin)", async () => {
    const account = await createAccount(t, { name: "Removal GmbH", groups: ["Users"] });
    const admin = await insertUser(t);
    const user = await insertUser(t);
    await adminCall(t, "POST", `/accounts/${account.id}/members`, { email: admin.email, groupIds: [account.adminGroupId] });
    await adminCall(t, "POST", `/accounts/${account.id}/members`, { email: user.email, groupIds: [account.groups.Users] });
    const refused = await adminCall(t, "DELETE", `/accounts/${account.id}/members/${admin.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("sole_admin");
    expect((await adminCall(t, "DELETE", `/accounts/${account.id}/members/${user.id}`)).statusCode).toBe(204);
    expect((await adminCall(t, "DELETE", `/accounts/${account.id}/members/${user.id}`)).statusCode).toBe(404);
    expect((await eventsOfType(t, "membership_removed")).map((e) => e.userId)).toContain(user.id);
    const detail = adminAccountDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/accounts/${account.id}`), 200));
    expect(detail.members.map((m) => m.userId)).toEqual([admin.id]);
  });

  it("lists accounts by name with member counts, filter and search (H3 payloads are literal)", async () => {
    await createAccount(t, { name: "100% Reseller", type: "reseller" });
    await createAccount(t, { name: "1000 Reseller", type: "reseller" });
    const list = adminAccountListSchema.parse(expectStatus(await adminCall(t, "GET", "/accounts?q=100%25&type=reseller"), 200));
    expect(list.items.map((a) => a.name)).toEqual(["100% Reseller"]);
    const all = adminAccountListSchema.parse(expectStatus(await adminCall(t, "GET", "/accounts?limit=2"), 200));
    expect(all.items).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const next = adminAccountListSchema.parse(
      expectStatus(await adminCall(t, "GET", `/accounts?limit=2&cursor=${all.nextCursor}`), 200),
    );
    expect(next.items[0]!.name.toLowerCase() >= all.items[1]!.name.toLowerCase()).toBe(true);
    expect((await adminCall(t, "GET", "/accounts?cursor=not-a-cursor")).statusCode).toBe(400);
  });
});
