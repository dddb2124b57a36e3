import { describe, expect, it } from "vitest";
import { lockdownPreviewSchema } from "../../../contracts/lockdown.js";
import { hashToken } from "../../lib/crypto/hash-token.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { insertUser, openSession, signIn, TEST_PASSWORD, type TestUser } from "@test/factories.js";
import { expectMailedTo } from "@test/expectations.js";
import { eventsOf, linkTokensFromMail, readUser, resetTokenFromMail } from "@test/inspect.js";
import { LOCKDOWN_TOKEN_TTL_MS } from "./lockdown-links.js";

const LOCKDOWN = "/api/v1/auth/lockdown";
const NEW_PASSWORD = "quiet lantern harbour 1893 thistle";

describe("This wasn't me: lockdown", () => {
  const t = useTestApp();
  let ipCounter = 0;
  const client = (): TestClient => t.client({ ip: `10.7.0.${++ipCounter}` });

  /** A person with two live sessions, one of which changes the password: the notice mail carries a lockdown link. */
  async function personWithAlert(): Promise<{ user: TestUser; token: string; sessions: TestClient[] }> {
    const user = await insertUser(t);
    const a = (await openSession(t, user.id)).client;
    const b = (await openSession(t, user.id, { ip: "198.51.100.9" })).client;
    const changed = await a.post("/api/v1/me/password", {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      signOutOtherSessions: false,
    });
    expect(changed.statusCode).toBe(204);
    const [token] = await linkTokensFromMail(t, user.email, "/lockdown");
    if (!token) throw new Error("no lockdown link in the password-changed mail");
    return { user: { ...user, password: NEW_PASSWORD }, token, sessions: [a, b] };
  }

  /** Everything a refused link must leave as it was. */
  async function expectNothingChanged(user: TestUser, sessions: TestClient[], lockdownsBefore = 0) {
    for (const s of sessions) expect((await s.get("/api/v1/me")).statusCode).toBe(200);
    expect((await eventsOf(t, user.id, "lockdown")).length).toBe(lockdownsBefore);
    expect((await signIn(client(), user)).statusCode).toBe(200);
  }

  it("the password-changed mail carries a single-use link valid 7 days, stored only as its SHA-256", async () => {
    const { user, token } = await personWithAlert();
    const mails = await expectMailedTo(t, user.email, [/password was changed/]);
    expect(mails.at(-1)?.raw.replace(/=\r?\n/g, "")).toContain("This wasn't me");
    const row = await t.app.services.db
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("purpose", "=", "lockdown")
      .executeTakeFirst();
    expect(row).toMatchObject({ userId: user.id, email: user.email, tokenHash: hashToken(token), usedAt: null });
    expect(row?.expiresAt).toBe(t.clock.now() + LOCKDOWN_TOKEN_TTL_MS);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("GET says what will happen and changes nothing", async () => {
    const { user, token, sessions } = await personWithAlert();
    const res = await client().get(`${LOCKDOWN}?token=${encodeURIComponent(token)}`);
    expect(res.statusCode).toBe(200);
    const body = lockdownPreviewSchema.parse(res.json());
    expect(body.email).toBe(user.email);
    expect(body.actions.map((a) => a.id)).toEqual([
      "end_sessions",
      "revoke_app_tokens",
      "require_password_reset",
      "mail_reset_link",
    ]);
    expect(body.actions[0]?.description).toContain("2 active");
    await expectNothingChanged(user, sessions);
  });

  it("POST ends every session, requires a new password (401 password_reset_required), mails a reset link and a confirmation", async () => {
    const { user, token, sessions } = await personWithAlert();
    const res = await client().post(LOCKDOWN, { token });
    expect(res.statusCode).toBe(204);
    for (const s of sessions) {
      const refused = await s.get("/api/v1/me");
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.details).toEqual({ reason: "lockdown" });
    }
    const right = await signIn(client(), user);
    expect(right.statusCode).toBe(401);
    expect(right.json().error.code).toBe("password_reset_required");
    const wrong = await signIn(client(), { email: user.email, password: `${user.password}x` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("invalid_credentials");
    const [event] = await eventsOf(t, user.id, "lockdown");
    expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ sessionsEnded: 2, appsRevoked: 0, emailRestored: false });
    await expectMailedTo(t, user.email, [/login was secured/, /reset/i]);

    // The mailed reset link sets a new password, which ends the requirement.
    const resetToken = await resetTokenFromMail(t, user.email);
    const finalPassword = "another quiet harbour 5531 lantern";
    expect(
      (await client().post("/api/v1/auth/password-reset/confirm", { token: resetToken, newPassword: finalPassword })).statusCode,
    ).toBe(204);
    expect((await signIn(client(), { email: user.email, password: finalPassword })).statusCode).toBe(200);
  });

  it("a used link answers 400 invalid_token and changes nothing more", async () => {
    const { user, token } = await personWithAlert();
    expect((await client().post(LOCKDOWN, { token })).statusCode).toBe(204);
    // The person recovers with the reset link; a replay of the lockdown link must not lock them out again.
    const resetToken = await resetTokenFromMail(t, user.email);
    await client().post("/api/v1/auth/password-reset/confirm", {
      token: resetToken,
      newPassword: "another quiet harbour 5531 lantern",
    });
    const back = { ...user, password: "another quiet harbour 5531 lantern" };
    const session = (await openSession(t, user.id)).client;
    for (const replay of [client().get(`${LOCKDOWN}?token=${encodeURIComponent(token)}`), client().post(LOCKDOWN, { token })]) {
      const res = await replay;
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe("invalid_token");
    }
    expect((await eventsOf(t, user.id, "authn_token_reuse")).length).toBe(2);
    await expectNothingChanged(back, [session], 1);
  });

  it("an expired or forged link answers 400 invalid_token and changes nothing", async () => {
    const { user, token, sessions } = await personWithAlert();
    const forged = [`${token.slice(0, -2)}xx`, "a".repeat(43), token.toUpperCase()];
    for (const bad of forged) {
      for (const res of [
        await client().get(`${LOCKDOWN}?token=${encodeURIComponent(bad)}`),
        await client().post(LOCKDOWN, { token: bad }),
      ]) {
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe("invalid_token");
      }
    }
    const empty = await client().post(LOCKDOWN, { token: "" });
    expect(empty.json().error.code).toBe("validation_failed");
    t.clock.advance(LOCKDOWN_TOKEN_TTL_MS + 1);
    // Sessions would have expired by now; open fresh ones to see that nothing ends.
    const fresh = [(await openSession(t, user.id)).client];
    const expired = await client().post(LOCKDOWN, { token });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe("invalid_token");
    expect(sessions.length).toBe(2);
    await expectNothingChanged(user, fresh);
  });

  it("a link mailed to the old address undoes an email change of the last 7 days, and cancels nothing else", async () => {
    const user = await insertUser(t);
    const { client: session } = await openSession(t, user.id);
    expect(
      (await session.post("/api/v1/me/email-change", { newEmail: "thief@example.com", password: TEST_PASSWORD })).statusCode,
    ).toBe(202);
    const [confirm] = await linkTokensFromMail(t, "thief@example.com", "/confirm-email");
    expect((await client().post("/api/v1/me/email-change/confirm", { token: confirm })).statusCode).toBe(200);
    expect((await readUser(t, user.id))?.email).toBe("thief@example.com");
    await expectMailedTo(t, user.email, [/being changed/, /email address was changed/]);
    const links = await linkTokensFromMail(t, user.email, "/lockdown");
    expect(links.length).toBe(2);
    t.clock.advance(6 * 24 * 3_600_000);

    const preview = (await client().get(`${LOCKDOWN}?token=${encodeURIComponent(links[1] as string)}`)).json();
    expect(preview.email).toBe(user.email);
    expect(preview.actions.map((a: { id: string }) => a.id)).toContain("restore_email");
    expect((await client().post(LOCKDOWN, { token: links[1] })).statusCode).toBe(204);
    expect((await readUser(t, user.id))?.email).toBe(user.email);
    expect((await signIn(client(), { email: user.email, password: TEST_PASSWORD })).json().error.code).toBe(
      "password_reset_required",
    );
    await expectMailedTo(t, user.email, [/login was secured/, /reset/i]);
    const [event] = await eventsOf(t, user.id, "lockdown");
    expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ emailRestored: true });
    // The other alert's link was retired with it.
    expect((await client().post(LOCKDOWN, { token: links[0] })).statusCode).toBe(400);
  });

  it("a link mailed to the new address secures the account but keeps the address; the old address's links expire after 7 days", async () => {
    const user = await insertUser(t);
    const { client: session } = await openSession(t, user.id);
    await session.post("/api/v1/me/email-change", { newEmail: "moved@example.com", password: TEST_PASSWORD });
    const [confirm] = await linkTokensFromMail(t, "moved@example.com", "/confirm-email");
    await client().post("/api/v1/me/email-change/confirm", { token: confirm });
    const [, changedLink] = await linkTokensFromMail(t, user.email, "/lockdown");
    t.clock.advance(7 * 24 * 3_600_000 - 1000);
    // A later alert goes to the new address: its link secures the account but keeps the address.
    const other = (await openSession(t, user.id)).client;
    await other.post("/api/v1/me/password", {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      signOutOtherSessions: false,
    });
    const [newAddressLink] = await linkTokensFromMail(t, "moved@example.com", "/lockdown");
    t.clock.advance(2000);
    const late = await client().get(`${LOCKDOWN}?token=${encodeURIComponent(changedLink as string)}`);
    expect(late.json().error.code).toBe("invalid_token");
    const preview = (await client().get(`${LOCKDOWN}?token=${encodeURIComponent(newAddressLink as string)}`)).json();
    expect(preview.email).toBe("moved@example.com");
    expect(preview.actions.map((a: { id: string }) => a.id)).not.toContain("restore_email");
    expect((await client().post(LOCKDOWN, { token: newAddressLink })).statusCode).toBe(204);
    expect((await readUser(t, user.id))?.email).toBe("moved@example.com");
    await expectMailedTo(t, "moved@example.com", [/login was secured/]);
  });

  it("a pending email change is cancelled", async () => {
    const { user, token } = await personWithAlert();
    const session = (await openSession(t, user.id)).client;
    await session.post("/api/v1/me/email-change", { newEmail: "pending@example.com", password: NEW_PASSWORD });
    const [confirm] = await linkTokensFromMail(t, "pending@example.com", "/confirm-email");
    const preview = (await client().get(`${LOCKDOWN}?token=${encodeURIComponent(token)}`)).json();
    expect(preview.actions.map((a: { id: string }) => a.id)).toContain("cancel_email_change");
    expect((await client().post(LOCKDOWN, { token })).statusCode).toBe(204);
    expect((await client().post("/api/v1/me/email-change/confirm", { token: confirm })).json().error.code).toBe("invalid_token");
    expect((await readUser(t, user.id))?.email).toBe(user.email);
  });
});
