import { hash } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { loginResponseSchema } from "../../../contracts/auth.js";
import { errorBodySchema } from "../../../contracts/errors.js";
import { createTestApp } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";
import { enableTotp, insertUser, signIn } from "@test/factories.js";
import { expectSessionTokenRefused } from "@test/expectations.js";
import { eventsOfType, sessionRowOf } from "@test/inspect.js";

describe("sign-in, sign-out and re-authentication", () => {
  const t = useTestApp({}, { scope: "suite" });

  it("signs in with the right password: 200 authenticated, the contract's user JSON, a session cookie", async () => {
    const user = await insertUser(t);
    const c = t.client();
    const res = await signIn(c, user);
    expect(res.statusCode).toBe(200);
    const body = loginResponseSchema.parse(res.json());
    expect(body).toMatchObject({ status: "authenticated", user: { id: user.id, email: user.email, mfaEnabled: false } });
    expect(c.sessionToken()).toBeTruthy();
    expect((await c.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("A13: a hash with older argon2id parameters is replaced by a current one on the next successful sign-in", async () => {
    const password = "weathered copper kettle 5512 on the hob";
    const legacy = await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 1 });
    const user = await insertUser(t, { passwordHash: legacy }, { password });
    expect((await signIn(t.client({ ip: "10.0.1.1" }), { email: user.email, password: "wrong one, no rehash" })).statusCode).toBe(
      401,
    );
    const unchanged = await t.app.services.db
      .selectFrom("users")
      .select("passwordHash")
      .where("id", "=", user.id)
      .executeTakeFirst();
    expect(unchanged?.passwordHash).toBe(legacy);
    expect((await signIn(t.client({ ip: "10.0.1.1" }), user)).statusCode).toBe(200);
    const row = await t.app.services.db.selectFrom("users").select("passwordHash").where("id", "=", user.id).executeTakeFirst();
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await signIn(t.client({ ip: "10.0.1.1" }), user)).statusCode).toBe(200);
    const event = (await eventsOfType(t, "authn_login_success")).find((e) => e.userId === user.id);
    expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ rehashed: true });
  });

  it("a completed sign-in is handed to the Sessions feature (the device is remembered for new-device alerts)", async () => {
    const user = await insertUser(t);
    await signIn(t.client({ ip: "10.0.1.2" }), user);
    const devices = await t.app.services.db.selectFrom("knownDevices").selectAll().where("userId", "=", user.id).execute();
    expect(devices).toHaveLength(1);
  });

  it("the email is matched case-insensitively and trimmed; the password exactly as typed", async () => {
    const user = await insertUser(t, { email: "mixed.case@example.test" });
    expect((await signIn(t.client(), { email: "  Mixed.Case@EXAMPLE.test ", password: user.password })).statusCode).toBe(200);
    expect((await signIn(t.client(), { email: user.email, password: ` ${user.password}` })).statusCode).toBe(401);
  });

  it("A11: a fresh install has no users and admin/admin, admin/password, root/root, sa/sa all fail", async () => {
    const fresh = await createTestApp();
    try {
      const count = await fresh.app.services.db
        .selectFrom("users")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
      for (const [email, password] of [
        ["admin", "admin"],
        ["admin", "password"],
        ["root", "root"],
        ["sa", "sa"],
        ["admin@localhost", "admin"],
      ] as const) {
        const res = await signIn(fresh.client({ ip: "10.9.0.1" }), { email, password });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe("invalid_credentials");
      }
    } finally {
      await fresh.close();
    }
  });

  it("wrong password and unknown email both answer 401 invalid_credentials and create no session", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.2" });
    for (const attempt of [
      { email: user.email, password: "not the password at all" },
      { email: "nobody-here@example.test", password: user.password },
    ]) {
      const res = await signIn(c, attempt);
      expect(res.statusCode).toBe(401);
      expect(errorBodySchema.parse(res.json()).error.code).toBe("invalid_credentials");
      expect(c.sessionToken()).toBeUndefined();
    }
  });

  it("bad input is a clear 400 and never reaches the hasher", async () => {
    const c = t.client({ ip: "10.0.0.3" });
    const missing = await c.post("/api/v1/auth/login", { email: "a@example.test" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      code: "validation_failed",
      details: { fields: { password: expect.any(String) } },
    });
    const extra = await c.post("/api/v1/auth/login", { email: "a@example.test", password: "x", isAdmin: true });
    expect(extra.statusCode).toBe(400);
    const typed = await c.post("/api/v1/auth/login", { email: "a@example.test", password: { $ne: null } });
    expect(typed.statusCode).toBe(400);
  });

  it("C2: the cookie changes on sign-in and on re-authentication; each old value then gets 401", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.4" });
    expect((await signIn(c, user)).statusCode).toBe(200);
    const first = c.sessionToken();
    expect((await signIn(c, user)).statusCode).toBe(200);
    const second = c.sessionToken();
    expect(second).not.toBe(first);
    const reauth = await c.post("/api/v1/auth/reauthenticate", { password: user.password });
    expect(reauth.statusCode).toBe(204);
    const third = c.sessionToken();
    expect(third).not.toBe(second);
    for (const old of [first, second]) await expectSessionTokenRefused(t, old);
    expect((await c.get("/api/v1/me")).statusCode).toBe(200);
    // The session a later sign-in replaced is kept as history, ended `signed_out`.
    expect(await sessionRowOf(t, first)).toMatchObject({ endReason: "signed_out" });
  });

  it("C2: a pre-set (fixated) session cookie is never promoted: sign-in ends it and issues a new one", async () => {
    const victim = await insertUser(t);
    const attacker = await insertUser(t);
    const a = t.client({ ip: "10.0.0.5" });
    expect((await signIn(a, attacker)).statusCode).toBe(200);
    const planted = a.sessionToken() ?? "";
    const v = t.client({ ip: "10.0.0.6" });
    v.setSessionToken(planted);
    expect((await signIn(v, victim)).statusCode).toBe(200);
    expect(v.sessionToken()).not.toBe(planted);
    expect((await sessionRowOf(t, planted))?.endReason).toBe("signed_out");
    expect((await a.get("/api/v1/me")).statusCode).toBe(401);
    const forged = t.client({ ip: "10.0.0.7" });
    forged.setSessionToken("A".repeat(43));
    expect((await signIn(forged, victim)).statusCode).toBe(200);
    expect(forged.sessionToken()).not.toBe("A".repeat(43));
  });

  it("C3: a random, tampered or truncated cookie gets 401", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.8" });
    await signIn(c, user);
    const token = c.sessionToken() ?? "";
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    for (const value of [flipped, token.slice(0, -1), `${token}x`, "x".repeat(43), "", "../../etc/passwd"]) {
      const res = await expectSessionTokenRefused(t, value);
      expect(res.json().error.code).toBe("unauthenticated");
    }
  });

  it("C4: logout ends the session (Max-Age=0 cookie, ended `signed_out`, event); replaying the old cookie gets 401", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.9" });
    await signIn(c, user);
    const token = c.sessionToken() ?? "";
    const res = await c.post("/api/v1/auth/logout");
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe("");
    const cleared = res.cookies.find((k) => k.name === "pc_session");
    expect(cleared).toMatchObject({ value: "", maxAge: 0 });
    expect(String(res.headers["set-cookie"])).toMatch(/pc_session=;.*Max-Age=0/);
    await expectSessionTokenRefused(t, token);
    expect(await sessionRowOf(t, token)).toMatchObject({ endReason: "signed_out" });
    expect((await eventsOfType(t, "authn_logout")).some((e) => e.userId === user.id)).toBe(true);
  });

  it("logout without a session is fine: 204 and a cleared cookie", async () => {
    const res = await t.client().post("/api/v1/auth/logout");
    expect(res.statusCode).toBe(204);
    expect(String(res.headers["set-cookie"])).toMatch(/Max-Age=0/);
  });

  it("re-authentication: 401 unauthenticated without a session, 401 invalid_password for a wrong one", async () => {
    expect((await t.client().post("/api/v1/auth/reauthenticate", { password: "whatever it is" })).json().error.code).toBe(
      "unauthenticated",
    );
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.10" });
    await signIn(c, user);
    const before = c.sessionToken();
    const wrong = await c.post("/api/v1/auth/reauthenticate", { password: "not my password, no" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("invalid_password");
    expect(c.sessionToken()).toBe(before);
    expect((await c.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("re-authentication moves authenticated-at forward and records the event", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.11" });
    await signIn(c, user);
    const before = await sessionRowOf(t, c.sessionToken());
    t.clock.advance(30 * 60_000);
    await c.get("/api/v1/me");
    expect((await c.post("/api/v1/auth/reauthenticate", { password: user.password })).statusCode).toBe(204);
    const after = await sessionRowOf(t, c.sessionToken());
    expect(after?.id).toBe(before?.id);
    expect(after?.authenticatedAt).toBe(t.clock.now());
    const events = await eventsOfType(t, "authn_reauthenticate");
    expect(events.find((e) => e.userId === user.id && e.result === "success")).toMatchObject({ sessionRef: before?.id });
  });

  it("with MFA on, the password step yields a pending session: mfa_required, 5 minutes, no user data", async () => {
    const user = await insertUser(t);
    await enableTotp(t, user.id);
    const c = t.client({ ip: "10.0.0.12" });
    const res = await signIn(c, user);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "mfa_required", methods: ["totp", "recovery_code"] });
    const row = await sessionRowOf(t, c.sessionToken());
    expect(row).toMatchObject({ mfaPending: 1, expiresAt: t.clock.now() + 5 * 60_000 });
    const cookie = res.cookies.find((k) => k.name === "pc_session");
    expect(cookie?.maxAge).toBe(300);
    const me = await c.get("/api/v1/me");
    expect(me.statusCode).toBe(401);
    expect(me.json().error.details).toMatchObject({ mfaRequired: true });
    expect((await c.post("/api/v1/auth/reauthenticate", { password: user.password })).statusCode).toBe(401);
    expect((await c.post("/api/v1/auth/logout")).statusCode).toBe(204);
    const ended = await t.app.services.db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", row?.id ?? "")
      .executeTakeFirst();
    expect(ended?.endReason).toBe("signed_out");
  });

  it("re-authentication with MFA on needs the code: missing → 401, wrong → 401 invalid_code, right → 204", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.0.0.13" });
    expect((await signIn(c, user)).statusCode).toBe(200); // signed in before MFA was turned on
    const totp = await enableTotp(t, user.id);
    const missing = await c.post("/api/v1/auth/reauthenticate", { password: user.password });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toMatchObject({ code: "reauthentication_required", details: { codeRequired: true } });
    const wrong = await c.post("/api/v1/auth/reauthenticate", {
      password: user.password,
      code: "000000" === totp.codeAt(t.clock.now()) ? "111111" : "000000",
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("invalid_code");
    const before = c.sessionToken();
    const right = await c.post("/api/v1/auth/reauthenticate", { password: user.password, code: totp.codeAt(t.clock.now()) });
    expect(right.statusCode).toBe(204);
    expect(c.sessionToken()).not.toBe(before);
    expect(await sessionRowOf(t, c.sessionToken())).toMatchObject({ mfaVerified: 1, authenticatedAt: t.clock.now() });
  });
});
