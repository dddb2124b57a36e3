import { describe, expect, it } from "vitest";
import { userSchema } from "../../../contracts/me.js";
import { hashToken } from "../../lib/crypto/hash-token.js";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, openSession, signedInUser, TEST_PASSWORD } from "@test/factories.js";
import { eventsOf, readUser } from "@test/inspect.js";
import { EMAIL_CHANGE_TTL_MS } from "./email-change.js";

const t = useTestApp();

/** Delivers the outbox and returns the token of the newest confirmation link sent to `to`. */
async function tokenMailedTo(to: string): Promise<string> {
  await t.app.services.mailer.deliverDueMail();
  const mail = t
    .mails()
    .filter((m) => m.to === to)
    .at(-1);
  // Quoted-printable may wrap the link: undo soft line breaks first.
  const raw = (mail?.raw ?? "").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const token = /\/confirm-email\?token=([\w%-]+)/.exec(raw)?.[1];
  if (!token) throw new Error(`no confirmation link mailed to ${to}`);
  return decodeURIComponent(token);
}

describe("POST /api/v1/me/email-change", () => {
  it("mails a single-use link to the NEW address, a notice to the OLD one, and keeps the old address until confirmed", async () => {
    const { user, client } = await signedInUser(t);
    const res = await client.post("/api/v1/me/email-change", { newEmail: "  Ada.New@Example.COM ", password: TEST_PASSWORD });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ pendingEmail: "ada.new@example.com" });

    const me = (await client.get("/api/v1/me")).json();
    expect(me).toMatchObject({ email: user.email, pendingEmail: "ada.new@example.com" });
    expect((await readUser(t, user.id))?.email).toBe(user.email);

    const token = await tokenMailedTo("ada.new@example.com");
    const notice = t.mails().find((m) => m.to === user.email);
    expect(notice?.subject).toMatch(/being changed/);
    expect(notice?.raw).not.toContain(token);
    expect(t.mails().find((m) => m.to === "ada.new@example.com")?.raw).toContain(`${t.config.publicUrl}/confirm-email?token=`);

    // Stored hashed only, purpose email_change, 24 h.
    const rows = await t.app.services.db
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("userId", "=", user.id)
      .where("purpose", "=", "email_change")
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      purpose: "email_change",
      tokenHash: hashToken(token),
      email: "ada.new@example.com",
      usedAt: null,
      expiresAt: t.clock.now() + EMAIL_CHANGE_TTL_MS,
    });
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await eventsOf(t, user.id, "email_change_requested")).toHaveLength(1);
  });

  it("A7-style: a wrong password answers 401 invalid_password, sends nothing and stores nothing", async () => {
    const { user, client } = await signedInUser(t);
    const res = await client.post("/api/v1/me/email-change", { newEmail: "new@example.com", password: `${TEST_PASSWORD}x` });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("invalid_password");
    await t.app.services.mailer.deliverDueMail();
    expect(t.mails()).toHaveLength(0);
    expect(await t.app.services.db.selectFrom("oneTimeTokens").selectAll().execute()).toHaveLength(0);
    expect((await client.get("/api/v1/me")).json().pendingEmail).toBeNull();
    expect(await eventsOf(t, user.id, "email_change_requested")).toMatchObject([{ result: "failure" }]);
  });

  it("A10: wrong passwords are throttled with the per-account password policy (then 429 even for the right one)", async () => {
    const { client } = await signedInUser(t);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await client.post("/api/v1/me/email-change", { newEmail: "n@example.com", password: "wrong password!!" })).statusCode,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const locked = await client.post("/api/v1/me/email-change", { newEmail: "n@example.com", password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers["retry-after"]).toBeDefined();
    t.clock.advance(16 * 60_000);
    expect(
      (await client.post("/api/v1/me/email-change", { newEmail: "n@example.com", password: TEST_PASSWORD })).statusCode,
    ).toBe(202);
  });

  it("A10: wrong passwords here spend the same per-account budget as sign-in", async () => {
    const { user, client } = await signedInUser(t);
    for (let i = 0; i < 5; i++) {
      await client.post("/api/v1/me/email-change", { newEmail: "n@example.com", password: "wrong password!!" });
    }
    const signIn = await t.client().post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
    expect(signIn.statusCode).toBe(429);
  });

  it("refuses an address another person uses with 409 email_taken (any case)", async () => {
    const other = await insertUser(t, { email: "taken@example.com" });
    const { client } = await signedInUser(t);
    const res = await client.post("/api/v1/me/email-change", { newEmail: "Taken@Example.com", password: TEST_PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("email_taken");
    expect((await readUser(t, other.id))?.email).toBe("taken@example.com");
    expect(await t.app.services.db.selectFrom("oneTimeTokens").selectAll().execute()).toHaveLength(0);
  });

  it("refuses the current address and malformed ones with 400 validation_failed", async () => {
    const { user, client } = await signedInUser(t);
    for (const newEmail of [user.email.toUpperCase(), "not-an-email", "", "a@b", `${"x".repeat(250)}@example.com`]) {
      const res = await client.post("/api/v1/me/email-change", { newEmail, password: TEST_PASSWORD });
      expect(res.statusCode, newEmail).toBe(400);
      expect(res.json().error).toMatchObject({
        code: "validation_failed",
        details: { fields: { newEmail: expect.any(String) } },
      });
    }
    const extra = await client.post("/api/v1/me/email-change", {
      newEmail: "n@example.com",
      password: TEST_PASSWORD,
      userId: "UR-1",
    });
    expect(extra.statusCode).toBe(400);
  });
});

describe("POST /api/v1/me/email-change/confirm", () => {
  it("changes the address once, from a signed-out browser; a second use answers 400 invalid_token", async () => {
    const { user, client } = await signedInUser(t);
    await client.post("/api/v1/me/email-change", { newEmail: "ada.new@example.com", password: TEST_PASSWORD });
    const token = await tokenMailedTo("ada.new@example.com");

    const signedOut = t.client();
    const res = await signedOut.post("/api/v1/me/email-change/confirm", { token });
    expect(res.statusCode).toBe(200);
    expect(userSchema.strict().parse(res.json())).toMatchObject({
      id: user.id,
      email: "ada.new@example.com",
      pendingEmail: null,
    });
    expect((await readUser(t, user.id))?.email).toBe("ada.new@example.com");
    expect((await client.get("/api/v1/me")).json()).toMatchObject({ email: "ada.new@example.com", pendingEmail: null });
    expect(await eventsOf(t, user.id, "email_change_confirmed")).toHaveLength(1);

    const again = await signedOut.post("/api/v1/me/email-change/confirm", { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe("invalid_token");
    expect(await eventsOf(t, user.id, "authn_token_reuse")).toHaveLength(1);
  });

  it("an expired link (24 h) answers 400 invalid_token and the old address stays", async () => {
    const { user, client } = await signedInUser(t);
    await client.post("/api/v1/me/email-change", { newEmail: "late@example.com", password: TEST_PASSWORD });
    const token = await tokenMailedTo("late@example.com");
    t.clock.advance(EMAIL_CHANGE_TTL_MS + 1);
    const later = (await openSession(t, user.id)).client; // the first session has reached its own 24 h limit
    expect((await later.get("/api/v1/me")).json().pendingEmail).toBeNull();
    const res = await later.post("/api/v1/me/email-change/confirm", { token });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("invalid_token");
    expect((await readUser(t, user.id))?.email).toBe(user.email);
  });

  it("a new request replaces the earlier pending one: the first link stops working", async () => {
    const { user, client } = await signedInUser(t);
    await client.post("/api/v1/me/email-change", { newEmail: "first@example.com", password: TEST_PASSWORD });
    const first = await tokenMailedTo("first@example.com");
    await client.post("/api/v1/me/email-change", { newEmail: "second@example.com", password: TEST_PASSWORD });
    const second = await tokenMailedTo("second@example.com");
    expect((await client.get("/api/v1/me")).json().pendingEmail).toBe("second@example.com");
    expect((await client.post("/api/v1/me/email-change/confirm", { token: first })).json().error.code).toBe("invalid_token");
    expect((await client.post("/api/v1/me/email-change/confirm", { token: second })).statusCode).toBe(200);
    expect((await readUser(t, user.id))?.email).toBe("second@example.com");
  });

  it("answers 409 email_taken when the address was taken meanwhile, and changes nothing", async () => {
    const { user, client } = await signedInUser(t);
    await client.post("/api/v1/me/email-change", { newEmail: "contested@example.com", password: TEST_PASSWORD });
    const token = await tokenMailedTo("contested@example.com");
    await insertUser(t, { email: "contested@example.com" });
    const res = await client.post("/api/v1/me/email-change/confirm", { token });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("email_taken");
    expect((await readUser(t, user.id))?.email).toBe(user.email);
    const row = await t.app.services.db.selectFrom("oneTimeTokens").selectAll().where("userId", "=", user.id).executeTakeFirst();
    expect(row?.usedAt).toBeNull();
  });

  it("answers 400 invalid_token for unknown, empty and oversized tokens", async () => {
    const client = t.client();
    for (const token of ["nope", "x".repeat(43)]) {
      const res = await client.post("/api/v1/me/email-change/confirm", { token });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe("invalid_token");
    }
    for (const token of ["", "x".repeat(5000)]) {
      expect((await client.post("/api/v1/me/email-change/confirm", { token })).json().error.code).toBe("validation_failed");
    }
  });

  it("F1: confirming without the CSRF token is refused", async () => {
    const { client } = await signedInUser(t);
    await client.post("/api/v1/me/email-change", { newEmail: "csrf@example.com", password: TEST_PASSWORD });
    const token = await tokenMailedTo("csrf@example.com");
    const res = await client.request({ method: "POST", url: "/api/v1/me/email-change/confirm", payload: { token }, csrf: false });
    expect(res.statusCode).toBe(403);
  });
});
