import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { THROTTLE_POLICIES } from "../throttle/throttle.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { insertUser, signIn } from "@test/factories.js";
import { accountThrottleOf, dumpDatabase, eventsOfType, resetTokenFromMail, sessionRowOf } from "@test/inspect.js";
import { accountThrottleKey } from "./credential-check.js";

const LOGIN = "/api/v1/auth/login";

describe("sign-in abuse cases", () => {
  const t = useTestApp({}, { scope: "suite" });
  let ipCounter = 0;
  /** Every secret typed or issued in this file: none may appear in logs or the database (I4). */
  const secrets = new Set<string>();
  const client = (ip = `10.2.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`): TestClient => t.client({ ip });
  const remember = (c: TestClient) => {
    const token = c.sessionToken();
    if (token) secrets.add(token);
  };

  it("A10: N=5 wrong passwords → 429 rate_limited with Retry-After; rotating X-Forwarded-For or the client IP does not reset the count", async () => {
    expect(THROTTLE_POLICIES.passwordPerAccount.threshold).toBeLessThanOrEqual(100);
    expect(THROTTLE_POLICIES.passwordPerAccount.ceiling).toBeLessThanOrEqual(100);
    const user = await insertUser(t);
    secrets.add(user.password);
    for (let i = 0; i < 5; i++) {
      const res = await client(`10.3.0.${i + 1}`).post(
        LOGIN,
        { email: user.email, password: `wrong guess number ${i}` },
        { "x-forwarded-for": `203.0.113.${i + 1}` },
      );
      expect(res.statusCode).toBe(401);
    }
    const locked = await client("10.3.0.99").post(
      LOGIN,
      { email: user.email, password: "sixth guess" },
      { "x-forwarded-for": "198.51.100.7" },
    );
    expect(locked.statusCode).toBe(429);
    const retryAfter = Number(locked.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.json().error).toMatchObject({
      code: "rate_limited",
      details: { retryAfterSeconds: retryAfter, until: expect.stringMatching(/Z$/) },
    });
    // The documented policy: during the wait even the right password is refused.
    expect((await signIn(client(), user)).statusCode).toBe(429);
    // Never permanent: after the wait the right password works (and clears the count).
    t.clock.advance(retryAfter * 1000);
    const after = client();
    expect((await signIn(after, user)).statusCode).toBe(200);
    remember(after);
    // The success cleared the account's count (the row stays, zeroed, until the idle pruning).
    const row = await accountThrottleOf(t, user.email);
    expect(row).toMatchObject({ failures: 0, consecutiveFailures: 0, lockedUntil: 0 });
  });

  it("A10: back-off doubles per further failure and is capped at 15 minutes", async () => {
    const user = await insertUser(t);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await signIn(client(), { email: user.email, password: "still the wrong one" });
      if (res.statusCode === 429) {
        const wait = Number(res.headers["retry-after"]);
        waits.push(wait);
        t.clock.advance(wait * 1000);
      }
    }
    expect(waits.length).toBeGreaterThan(0);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] ?? 0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(15 * 60);
    expect((await signIn(client(), user)).statusCode).toBe(200);
  });

  it("A10: after NIST's 100 consecutive failures the password needs recovery; a reset restores it", async () => {
    const user = await insertUser(t);
    await t.app.services.db
      .insertInto("throttles")
      .values({
        key: accountThrottleKey(user.email),
        failures: 0,
        consecutiveFailures: 100,
        windowStartedAt: 0,
        lockedUntil: 0,
        updatedAt: 0,
      })
      .execute();
    expect((await signIn(client(), user)).statusCode).toBe(429);
    t.clock.advance(60 * 60_000);
    expect((await signIn(client(), user)).statusCode).toBe(429);
    const c = client();
    await c.post("/api/v1/auth/password-reset", { email: user.email });
    const token = await resetTokenFromMail(t, user.email);
    secrets.add(token);
    expect((await c.post("/api/v1/auth/password-reset/confirm", { token, newPassword: user.password })).statusCode).toBe(204);
    expect((await signIn(client(), user)).statusCode).toBe(200);
  });

  it("A10: 30 parallel wrong guesses on one account: only 5 are checked, the rest get 429 (no race past the throttle)", async () => {
    const user = await insertUser(t);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(client(), { email: user.email, password: `parallel guess ${i}` })),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const fails = (await eventsOfType(t, "authn_login_fail")).filter((e) => e.userId === user.id);
    expect(fails).toHaveLength(5);
  });

  it("A10: unknown emails are throttled exactly like known ones (no enumeration through 429)", async () => {
    for (let i = 0; i < 5; i++)
      expect((await signIn(client(), { email: "ghost@example.test", password: "x" })).statusCode).toBe(401);
    expect((await signIn(client(), { email: "ghost@example.test", password: "x" })).statusCode).toBe(429);
  });

  it("I1: sign-in success, failure (with the factor) and lock are recorded as security events and log lines", async () => {
    const user = await insertUser(t);
    const c = client("10.4.0.1");
    expect((await signIn(c, user)).statusCode).toBe(200);
    remember(c);
    for (let i = 0; i < 5; i++) await signIn(client("10.4.0.2"), { email: user.email, password: "nope nope nope" });
    const ok = (await eventsOfType(t, "authn_login_success")).filter((e) => e.userId === user.id);
    const fail = (await eventsOfType(t, "authn_login_fail")).filter((e) => e.userId === user.id);
    const lock = (await eventsOfType(t, "authn_login_lock")).filter((e) => e.userId === user.id);
    expect(ok).toHaveLength(1);
    expect(JSON.parse(ok[0]?.details ?? "{}")).toMatchObject({ factor: "password" });
    expect(fail).toHaveLength(5);
    expect(fail.every((e) => e.result === "failure" && JSON.parse(e.details).factor === "password")).toBe(true);
    expect(lock).toHaveLength(1);
    const logged = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.userId === user.id);
    for (const type of ["authn_login_success", "authn_login_fail", "authn_login_lock"]) {
      expect(logged.some((l) => l.event === type)).toBe(true);
    }
  });

  it("I1: a failure for an unknown email has no user id and never stores the typed password", async () => {
    const password = "my secret typed into the wrong account 42";
    secrets.add(password);
    await signIn(client(), { email: "no-such-person@example.test", password });
    const fail = (await eventsOfType(t, "authn_login_fail")).filter((e) => e.details.includes("no-such-person"));
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ userId: null, result: "failure" });
    expect(fail[0]?.details).not.toContain(password);
  });

  it("I4: a sign-in 'email' without an @ (likely a password typed into the wrong field) is not kept in events or logs", async () => {
    const typedPassword = "MyPasswordInTheEmailField-2026";
    secrets.add(typedPassword);
    expect((await signIn(client(), { email: typedPassword, password: "x" })).statusCode).toBe(401);
    expect(t.logs.some((l) => l.toLowerCase().includes(typedPassword.toLowerCase()))).toBe(false);
    expect((await dumpDatabase(t)).toLowerCase().includes(typedPassword.toLowerCase())).toBe(false);
  });

  it("I3: events and their log lines carry ISO Z time, user id, public session id (never the token), IP, UA and result", async () => {
    const user = await insertUser(t);
    const c = t.client({ ip: "10.5.0.1", userAgent: "I3-agent/1.0" });
    await signIn(c, user);
    remember(c);
    const token = c.sessionToken() ?? "";
    const session = await sessionRowOf(t, token);
    const event = (await eventsOfType(t, "authn_login_success")).find((e) => e.userId === user.id);
    expect(event).toMatchObject({ ip: "10.5.0.1", userAgent: "I3-agent/1.0", sessionRef: session?.id, result: "success" });
    expect(event?.sessionRef).not.toBe(token);
    expect(new Date(event?.at ?? 0).toISOString()).toMatch(/Z$/);
    const line = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === "authn_login_success" && l.userId === user.id);
    expect(line).toMatchObject({ userId: user.id, sessionId: session?.id, ip: "10.5.0.1", result: "success" });
    expect(String(line?.ts)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.stringify(line)).not.toContain(token);
  });

  it("I5: CR/LF, a forged JSON record and ANSI escapes in the email stay escaped inside one log record", async () => {
    const evil = 'evil\r\n{"event":"authn_login_success","userId":"UR-000-000-000"}\u001b[31mRED\u001b[0m@example.test';
    const before = t.logs.length;
    const res = await signIn(client(), { email: evil, password: "irrelevant password" });
    expect(res.statusCode).toBe(401);
    const lines = t.logs.slice(before);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // every line is one JSON record
    for (const line of lines) expect(line.includes("\r") || line.includes("\u001b")).toBe(false);
    const carrying = parsed.filter((l) => typeof l.attemptedEmail === "string");
    expect(carrying).toHaveLength(1);
    expect(carrying[0]?.attemptedEmail).toBe(evil.toLowerCase());
    expect(parsed.some((l) => l.event === "authn_login_success")).toBe(false);
    const stored = (await eventsOfType(t, "authn_login_fail")).find((e) => e.details.includes("evil"));
    expect(JSON.parse(stored?.details ?? "{}").unknownEmail).toBe(evil.toLowerCase());
  });

  it("I6: malformed JSON and oversized bodies get generic errors before any hashing; no stack, no X-Powered-By", async () => {
    const c = client();
    const malformed = await c.request({
      method: "POST",
      url: LOGIN,
      payload: '{"email": "a@b.c", "password": ',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: { code: "invalid_json", message: expect.any(String) } });
    const huge = await c.post(LOGIN, { email: "big@example.test", password: "p".repeat(1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
    const justOver = await c.post(LOGIN, { email: "big@example.test", password: "p".repeat(4096) });
    expect(justOver.statusCode).toBe(413);
    for (const res of [malformed, huge, justOver]) {
      expect(res.headers["x-powered-by"]).toBeUndefined();
      expect(res.body).not.toMatch(/at .*\.(ts|js):\d+|stack|node_modules/i);
    }
    const throttled = await accountThrottleOf(t, "big@example.test");
    expect(throttled).toBeUndefined(); // nothing was counted, so nothing was hashed
  });

  it("F1: login, logout, reauthenticate and reset without/with a wrong CSRF token, a foreign Origin or Sec-Fetch-Site: cross-site → 403, no change", async () => {
    const user = await insertUser(t);
    const c = client();
    await signIn(c, user);
    remember(c);
    const csrf = (await c.get("/api/v1/auth/csrf")).json().csrfToken as string;
    const origin = t.config.publicUrl;
    const variants: Array<Record<string, string>> = [
      { origin },
      { origin, "x-csrf-token": "W".repeat(43) },
      { origin: "http://evil.test", "x-csrf-token": csrf },
      { origin, "x-csrf-token": csrf, "sec-fetch-site": "cross-site" },
    ];
    const session = await sessionRowOf(t, c.sessionToken());
    const sessionsBefore = await t.app.services.db.selectFrom("sessions").select("id").where("userId", "=", user.id).execute();
    const tokensBefore = await t.app.services.db.selectFrom("oneTimeTokens").select("id").execute();
    const calls: Array<[string, unknown]> = [
      [LOGIN, { email: user.email, password: user.password }],
      ["/api/v1/auth/logout", {}],
      ["/api/v1/auth/reauthenticate", { password: user.password }],
      ["/api/v1/auth/password-reset", { email: user.email }],
      ["/api/v1/auth/password-reset/confirm", { token: "W".repeat(43), newPassword: "quiet lantern harbour 1893 thistle" }],
    ];
    for (const [url, payload] of calls) {
      for (const headers of variants) {
        const res = await c.request({ method: "POST", url, payload: payload as Record<string, unknown>, csrf: false, headers });
        expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.json().error.code).toBe("csrf_failed");
      }
    }
    const after = await sessionRowOf(t, c.sessionToken());
    expect(after).toEqual(session); // not ended, not rotated, not re-authenticated
    expect(await t.app.services.db.selectFrom("sessions").select("id").where("userId", "=", user.id).execute()).toHaveLength(
      sessionsBefore.length,
    );
    expect(await t.app.services.db.selectFrom("oneTimeTokens").select("id").execute()).toHaveLength(tokensBefore.length);
    expect((await c.get("/api/v1/me")).statusCode).toBe(200);
  });

  it("F2: the sensitive auth calls do not exist as GET (404/405) and a GET changes nothing", async () => {
    const user = await insertUser(t);
    const c = client();
    await signIn(c, user);
    remember(c);
    for (const path of ["logout", "login", "reauthenticate", "password-reset", "password-reset/confirm"]) {
      const res = await c.get(`/api/v1/auth/${path}?email=${encodeURIComponent(user.email)}&password=x`);
      expect([404, 405]).toContain(res.statusCode);
    }
    expect((await c.get("/api/v1/me")).statusCode).toBe(200);
  });

  it(
    "100 concurrent sign-ins: only 200 or 429 (with Retry-After), and /healthz and a signed-in /me keep answering",
    { timeout: 120_000 },
    async () => {
      const user = await insertUser(t);
      const me = client();
      await signIn(me, user);
      remember(me);
      // 100 different accounts (one shared hash keeps the setup cheap): checks of one account are
      // serialized anyway, so only different accounts load the hasher at once.
      const stored = await t.app.services.db
        .selectFrom("users")
        .select("passwordHash")
        .where("id", "=", user.id)
        .executeTakeFirst();
      const people = [];
      for (let i = 0; i < 100; i++)
        people.push(await insertUser(t, { passwordHash: stored?.passwordHash ?? null }, { password: user.password }));
      const flood = people.map((person) => signIn(client(), person));
      const probeStart = performance.now();
      const [health, profile] = await Promise.all([t.app.inject("/healthz"), me.get("/api/v1/me")]);
      const probeMs = performance.now() - probeStart;
      const results = await Promise.all(flood);
      expect(health.statusCode).toBe(200);
      expect(profile.statusCode).toBe(200);
      expect(probeMs).toBeLessThan(2_000);
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      for (const r of results.filter((x) => x.statusCode === 429)) expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
      for (const r of results) {
        const token = r.cookies.find((k) => k.name === "pc_session")?.value;
        if (token) secrets.add(token);
      }
    },
  );

  it("I4: no password or token used in this file appears in any captured log line or anywhere in the database", async () => {
    expect(secrets.size).toBeGreaterThan(5);
    const logs = t.logs.join("\n");
    const db = await dumpDatabase(t);
    const sqliteFile = t.config.databaseUrl.startsWith("sqlite:") ? t.config.databaseUrl.slice("sqlite:".length) : undefined;
    const raw = sqliteFile
      ? [sqliteFile, `${sqliteFile}-wal`]
          .filter((f) => fs.existsSync(f))
          .map((f) => fs.readFileSync(f).toString("latin1"))
          .join("")
      : "";
    for (const secret of secrets) {
      expect(logs.includes(secret), "log").toBe(false);
      expect(db.includes(secret), "db").toBe(false);
      if (raw) expect(raw.includes(Buffer.from(secret, "utf8").toString("latin1")), "sqlite file").toBe(false);
    }
  });
});
