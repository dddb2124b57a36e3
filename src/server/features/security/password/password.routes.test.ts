import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { insertUser, nextCode, signedInPerson, signInWithPassword, TEST_PASSWORD } from "@test/factories.js";
import { expectMailedTo, expectOtherSessionsEnded } from "@test/expectations.js";
import { eventsOf } from "@test/inspect.js";
import { sampleBlockedPasswords } from "./password-policy.js";

const t = useTestApp({}, { scope: "suite" });

const NEW_PASSWORD = "violet kettle drums at noon";

function change(client: TestClient, body: Record<string, unknown>) {
  return client.post("/api/v1/me/password", { currentPassword: TEST_PASSWORD, ...body });
}

async function canSignIn(email: string, password: string): Promise<boolean> {
  return (await signInWithPassword(t, { email, password })).response.statusCode === 200;
}

describe("A7: changing the password", () => {
  it("A7: the right current password and a good new one: 204; the new one signs in, the old one no longer", async () => {
    const { user, client } = await signedInPerson(t);
    const response = await change(client, { newPassword: NEW_PASSWORD });
    expect(response.statusCode, response.body).toBe(204);
    expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(true);
    expect(await canSignIn(user.email, TEST_PASSWORD)).toBe(false);
    const row = await t.app.services.db
      .selectFrom("users")
      .select(["passwordHash", "passwordChangedAt"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordChangedAt).toBe(t.clock.now());
  });

  it("A7: without currentPassword → 400; with a wrong one → 401 invalid_password; the old password still works", async () => {
    const { user, client } = await signedInPerson(t);
    const missing = await client.post("/api/v1/me/password", { newPassword: NEW_PASSWORD });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.fields.currentPassword).toBeDefined();
    const wrong = await change(client, { currentPassword: "definitely not the password", newPassword: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("invalid_password");
    expect(await canSignIn(user.email, TEST_PASSWORD)).toBe(true);
    expect(await canSignIn(user.email, NEW_PASSWORD)).toBe(false);
    expect(await eventsOf(t, user.id, "authn_password_change")).toMatchObject([{ result: "failure" }]);
  });

  it("A7/A10: wrong current passwords count towards the sign-in throttle (429 after 5)", async () => {
    const { client } = await signedInPerson(t);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await change(client, { currentPassword: `wrong password number ${i}`, newPassword: NEW_PASSWORD })).statusCode,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect((await change(client, { newPassword: NEW_PASSWORD })).statusCode).toBe(429);
  });

  it("the new password must differ from the current one", async () => {
    const { client } = await signedInPerson(t);
    const response = await change(client, { newPassword: TEST_PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("weak_password");
  });

  it("the change is recorded and a notice is mailed", async () => {
    const { user, client } = await signedInPerson(t);
    expect((await change(client, { newPassword: NEW_PASSWORD })).statusCode).toBe(204);
    expect(await eventsOf(t, user.id, "authn_password_change")).toMatchObject([{ result: "success" }]);
    await expectMailedTo(t, user.email, ["Your Profile Center password was changed"]);
  });
});

describe("A1, A5, A6: the policy, with its reason", () => {
  it.each([
    [7, false],
    [8, false],
    [14, false],
    [15, true],
  ])("A1: a new password of %i code points: accepted = %s", async (length, accepted) => {
    const { client } = await signedInPerson(t);
    const password = "qzmvbwjrk xtplh fgnd".slice(0, length);
    const response = await change(client, { newPassword: password });
    expect(response.statusCode, response.body).toBe(accepted ? 204 : 400);
    if (!accepted) {
      expect(response.json().error.code).toBe("weak_password");
      expect(response.json().error.details.reason).toMatch(/at least 15 characters/);
    }
  });

  it("A1: '€' × 15 counts as 15 characters (code points, not bytes or UTF-16 units)", async () => {
    const { client } = await signedInPerson(t);
    const fourteen = await change(client, { newPassword: "€".repeat(14) });
    expect(fourteen.statusCode).toBe(400);
    expect(fourteen.json().error.details.reason).toContain("this one has 14");
    // 15 euros is a repetition, refused for that reason, not for its length.
    const fifteen = await change(client, { newPassword: "€".repeat(15) });
    expect(fifteen.json().error.details.reason).not.toMatch(/at least/);
    expect((await change(client, { newPassword: "€uro ünïcode påss" })).statusCode).toBe(204);
  });

  it("A5: common passwords of policy length are refused with a reason; the list has ≥ 3000 such entries", async () => {
    const { client } = await signedInPerson(t);
    const blocked = sampleBlockedPasswords(3000, 15);
    expect(blocked.length).toBeGreaterThanOrEqual(3000);
    for (const password of ["passwordpassword", blocked[0] ?? "", blocked[1500] ?? "", blocked[2999] ?? ""]) {
      const response = await change(client, { newPassword: password });
      expect(response.statusCode, password).toBe(400);
      expect(response.json().error.code).toBe("weak_password");
      expect(response.json().error.message.length).toBeGreaterThan(10);
      expect(response.json().error.details.reason).toBe(response.json().error.message);
    }
  });

  it("A6: the email, the name and the product name are refused (offline)", async () => {
    const user = await insertUser(t, {
      email: "marguerite.yourcenar@example.com",
      firstName: "Marguerite",
      lastName: "Yourcenar",
    });
    const { client } = await signInWithPassword(t, user);
    for (const password of [
      "marguerite.yourcenar@example.com",
      "Marguerite is my name ok",
      "yourcenar and then some",
      "Profile Center 2026!!",
      "connect auth 2026 !!!",
    ]) {
      const response = await change(client, { newPassword: password });
      expect(response.statusCode, password).toBe(400);
      expect(response.json().error.code).toBe("weak_password");
    }
  });
});

describe("C7: other sessions", () => {
  it("C7: by default the other sessions B and C end (password_changed); A continues on a rotated token", async () => {
    const user = await insertUser(t);
    const a = (await signInWithPassword(t, user)).client;
    const b = (await signInWithPassword(t, user)).client;
    const c = (await signInWithPassword(t, user)).client;
    const before = a.sessionToken();
    expect((await change(a, { newPassword: NEW_PASSWORD })).statusCode).toBe(204);
    await expectOtherSessionsEnded(t, {
      userId: user.id,
      current: a,
      previousToken: before,
      others: [b, c],
      reason: "password_changed",
    });
  });

  it("C7: signOutOtherSessions=false keeps the others signed in", async () => {
    const user = await insertUser(t);
    const a = (await signInWithPassword(t, user)).client;
    const b = (await signInWithPassword(t, user)).client;
    expect((await change(a, { newPassword: NEW_PASSWORD, signOutOtherSessions: false })).statusCode).toBe(204);
    expect((await b.get("/api/v1/me")).statusCode).toBe(200);
  });
});

describe("C11: fresh authentication", () => {
  it("C11: an old session needs the current password (it is always required); with MFA on it also needs a code", async () => {
    const { client, enrollment } = await signedInPerson(t, { mfa: true });
    t.clock.advance(11 * 60_000);
    const noCode = await change(client, { newPassword: NEW_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error).toMatchObject({ code: "reauthentication_required", details: { codeRequired: true } });
    const wrongCode = await change(client, { newPassword: NEW_PASSWORD, code: "000000" });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json().error.code).toBe("invalid_code");
    const ok = await change(client, { newPassword: NEW_PASSWORD, code: nextCode(t, enrollment?.secret ?? new Uint8Array()) });
    expect(ok.statusCode, ok.body).toBe(204);
  });

  it("C11: within the re-authentication age, a person with MFA changes it with the current password alone", async () => {
    const { client } = await signedInPerson(t, { mfa: true });
    expect((await change(client, { newPassword: NEW_PASSWORD })).statusCode).toBe(204);
  });

  it("A9: 400 days later, sign-in is not forced into a password change", async () => {
    const user = await insertUser(t);
    t.clock.advance(400 * 24 * 3_600_000);
    const { body } = await signInWithPassword(t, user);
    expect(body.status).toBe("authenticated");
    expect(JSON.stringify(body)).not.toMatch(/password.?(change|expired)/i);
  });
});
