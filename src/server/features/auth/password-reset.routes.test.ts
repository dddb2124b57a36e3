import { describe, expect, it } from "vitest";
import { hashToken } from "../../lib/crypto/hash-token.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { insertUser, signIn } from "@test/factories.js";
import { expectMailedTo } from "@test/expectations.js";
import { accountThrottleOf, eventsOfType, resetTokenFromMail, sessionRowOf } from "@test/inspect.js";

const RESET = "/api/v1/auth/password-reset";
const CONFIRM = "/api/v1/auth/password-reset/confirm";

describe("password reset", () => {
  const t = useTestApp({}, { scope: "suite" });
  let ipCounter = 0;
  /** A client on its own IP, so the per-IP throttles of one test do not touch another. */
  const client = (): TestClient => t.client({ ip: `10.1.0.${++ipCounter}` });

  /** Asks for a link and sets `newPassword` with it; returns the confirm response. */
  async function resetTo(email: string, newPassword: string) {
    const c = client();
    expect((await c.post(RESET, { email })).statusCode).toBe(202);
    const token = await resetTokenFromMail(t, email);
    return c.post(CONFIRM, { token, newPassword });
  }

  it("the mail holds a link to PUBLIC_URL/reset-password with a token that is stored only as its SHA-256", async () => {
    const user = await insertUser(t);
    expect((await client().post(RESET, { email: user.email })).statusCode).toBe(202);
    const token = await resetTokenFromMail(t, user.email);
    expect(token).toMatch(/^[\w-]{43}$/);
    const mail = t.mails().find((m) => m.to.includes(user.email));
    expect(mail?.subject).toMatch(/reset/i);
    expect(mail?.raw.replace(/=\r?\n/g, "")).toContain(`${t.config.publicUrl}/reset-password?token=`);
    expect(mail?.raw).toMatch(/Content-Type: text\/html/);
    const row = await t.app.services.db.selectFrom("oneTimeTokens").selectAll().where("userId", "=", user.id).executeTakeFirst();
    expect(row).toMatchObject({ purpose: "password_reset", tokenHash: hashToken(token), usedAt: null });
    expect(row?.expiresAt).toBe(t.clock.now() + 30 * 60_000);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("A7 (reset): the new password works and the old one fails; the link works once and then never", async () => {
    const user = await insertUser(t);
    const c = client();
    await c.post(RESET, { email: user.email });
    const token = await resetTokenFromMail(t, user.email);
    const newPassword = "quiet lantern harbour 1893 thistle";
    expect((await c.post(CONFIRM, { token, newPassword })).statusCode).toBe(204);
    expect((await signIn(client(), { email: user.email, password: newPassword })).statusCode).toBe(200);
    expect((await signIn(client(), user)).statusCode).toBe(401);
    const again = await c.post(CONFIRM, { token, newPassword: "another fine pass phrase 2277" });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe("invalid_token");
    expect((await signIn(client(), { email: user.email, password: newPassword })).statusCode).toBe(200);
  });

  it("GET check names the person of a usable link without using it, and says invalid_token once it is used", async () => {
    const user = await insertUser(t);
    const c = client();
    await c.post(RESET, { email: user.email });
    const token = await resetTokenFromMail(t, user.email);
    const check = () => client().get(`${RESET}/check?token=${encodeURIComponent(token)}`);
    const usable = await check();
    expect(usable.statusCode).toBe(200);
    expect(usable.json()).toEqual({ email: user.email, firstName: user.firstName, lastName: user.lastName });
    expect((await c.post(CONFIRM, { token, newPassword: "quiet lantern harbour 4471 thistle" })).statusCode).toBe(204);
    const used = await check();
    expect(used.statusCode).toBe(400);
    expect(used.json().error.code).toBe("invalid_token");
  });

  it("an expired, unknown or replaced link answers 400 invalid_token and changes nothing", async () => {
    const user = await insertUser(t);
    const c = client();
    await c.post(RESET, { email: user.email });
    const first = await resetTokenFromMail(t, user.email);
    t.clock.advance(30 * 60_000 + 1);
    const expired = await c.post(CONFIRM, { token: first, newPassword: "quiet lantern harbour 1893 thistle" });
    expect(expired.json().error.code).toBe("invalid_token");
    t.clock.advance(1_000);
    await c.post(RESET, { email: user.email });
    const second = (await t.app.services.db.selectFrom("oneTimeTokens").select("id").where("userId", "=", user.id).execute())
      .length;
    expect(second).toBe(2);
    t.clock.advance(1_000);
    await c.post(RESET, { email: user.email });
    // The newest link retires the earlier open one.
    const open = await t.app.services.db
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("userId", "=", user.id)
      .where("usedAt", "is", null)
      .execute();
    expect(open).toHaveLength(1);
    for (const token of ["x".repeat(43), "", "a"]) {
      const res = await c.post(CONFIRM, { token, newPassword: "quiet lantern harbour 1893 thistle" });
      expect(res.statusCode).toBe(400);
    }
    expect((await signIn(client(), user)).statusCode).toBe(200);
  });

  it("a weak password is refused with the reason (400 weak_password) and the link stays usable", async () => {
    const user = await insertUser(t, { firstName: "Marguerite" });
    const c = client();
    await c.post(RESET, { email: user.email });
    const token = await resetTokenFromMail(t, user.email);
    for (const weak of ["short", "passwordpassword", "marguerite is my name ok", "profile center 2026 pass"]) {
      const res = await c.post(CONFIRM, { token, newPassword: weak });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: "weak_password", details: { reason: expect.any(String) } });
      expect(res.json().error.message).toBe(res.json().error.details.reason);
    }
    expect((await c.post(CONFIRM, { token, newPassword: "quiet lantern harbour 1893 thistle" })).statusCode).toBe(204);
  });

  it("confirming ends EVERY session of the person (reason password_reset), clears the sign-in throttle and mails a notice", async () => {
    const user = await insertUser(t);
    const a = client();
    const b = client();
    await signIn(a, user);
    await signIn(b, user);
    for (let i = 0; i < 5; i++) await signIn(client(), { email: user.email, password: "wrong wrong wrong wrong" });
    expect((await signIn(client(), user)).statusCode).toBe(429);
    const tokens = [a.sessionToken(), b.sessionToken()];
    expect((await resetTo(user.email, "quiet lantern harbour 1893 thistle")).statusCode).toBe(204);
    expect((await a.get("/api/v1/me")).statusCode).toBe(401);
    expect((await b.get("/api/v1/me")).statusCode).toBe(401);
    // The rows are marked ended right after the answer, in the background (session-cuts.ts).
    await t.app.services.sessions.whenSettled();
    for (const token of tokens) expect((await sessionRowOf(t, token))?.endReason).toBe("password_reset");
    const throttle = await accountThrottleOf(t, user.email);
    expect(throttle).toBeUndefined();
    expect((await signIn(client(), { email: user.email, password: "quiet lantern harbour 1893 thistle" })).statusCode).toBe(200);
    await expectMailedTo(t, user.email, [/was reset/]);
    const completed = (await eventsOfType(t, "authn_password_reset_complete")).find((e) => e.userId === user.id);
    expect(JSON.parse(completed?.details ?? "{}")).toMatchObject({ sessionsEnded: 2 });
  });

  it("A13: reset stores argon2id PHC $argon2id$v=19$m=19456,t=2,p=1$; the same password gives different hashes", async () => {
    const one = await insertUser(t);
    const two = await insertUser(t);
    const same = "identical passphrase for two people";
    expect((await resetTo(one.email, same)).statusCode).toBe(204);
    expect((await resetTo(two.email, same)).statusCode).toBe(204);
    const rows = await t.app.services.db
      .selectFrom("users")
      .select(["id", "passwordHash"])
      .where("id", "in", [one.id, two.id])
      .execute();
    const hashes = rows.map((r) => r.passwordHash ?? "");
    for (const hash of hashes) expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22,}\$[A-Za-z0-9+/]{43}$/);
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(hashes[0]?.split("$")[4]).not.toBe(hashes[1]?.split("$")[4]);
  });

  it("A2: 64- and 128-character mixed multi-byte passwords are accepted and then sign in", async () => {
    const pieces = ["ä", "ß", "€", "漢", "字", "😀", "🔐", "a", "Z", "9", " ", "ø", "ж", "ה"];
    for (const length of [64, 128, 256]) {
      const user = await insertUser(t);
      const password = Array.from({ length }, (_, i) => pieces[(i * 5 + length) % pieces.length]).join("");
      expect([...password]).toHaveLength(length);
      expect((await resetTo(user.email, password)).statusCode).toBe(204);
      expect((await signIn(client(), { email: user.email, password })).statusCode).toBe(200);
    }
    const tooLong = await insertUser(t);
    const res = await resetTo(tooLong.email, "ab€".repeat(86).slice(0, 257));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("weak_password");
  });

  it("A3: a 100-character password is verified exactly: its first 72 characters fail, a case-swapped first character fails", async () => {
    const user = await insertUser(t);
    const password = "Tessellated marmots whistle beneath nine copper bridges while 47 herons count slow amber lanterns...";
    expect(password).toHaveLength(100);
    expect((await resetTo(user.email, password)).statusCode).toBe(204);
    expect((await signIn(client(), { email: user.email, password: password.slice(0, 72) })).statusCode).toBe(401);
    expect((await signIn(client(), { email: user.email, password: `t${password.slice(1)}` })).statusCode).toBe(401);
    expect((await signIn(client(), { email: user.email, password })).statusCode).toBe(200);
  });

  it("A4: any composition is accepted: lowercase passphrase with spaces, emoji, digits only", async () => {
    for (const password of ["correct horse battery staple lamp", "🦊🌲🦉🍄🌙✨🪵🐾🌿🔥🍂🦔🐸🪨🌊", "583920174628391057"]) {
      const user = await insertUser(t);
      const res = await resetTo(user.email, password);
      expect(res.statusCode, password).toBe(204);
      expect((await signIn(client(), { email: user.email, password })).statusCode).toBe(200);
    }
  });

  it("202 with the same bytes for a known and an unknown address; only the known one gets mail", async () => {
    const user = await insertUser(t);
    const c = client();
    const known = await c.post(RESET, { email: user.email });
    const unknown = await c.post(RESET, { email: "nobody-at-all@example.test" });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(known.json()).toEqual({ status: "accepted" });
    const strip = (h: Record<string, unknown>) => {
      // The request id is each request's own (random), like the date.
      const { date: _d, "set-cookie": _c, "x-request-id": _id, ...rest } = h;
      return rest;
    };
    expect(strip(unknown.headers)).toEqual(strip(known.headers));
    await t.app.services.mailer.deliverDueMail();
    expect(t.mails().some((m) => m.to.includes("nobody-at-all"))).toBe(false);
    const events = await eventsOfType(t, "authn_password_reset_request");
    expect(events.find((e) => e.userId === null)).toMatchObject({ result: "failure" });
    expect(events.find((e) => e.userId === user.id)).toMatchObject({ result: "success" });
  });

  it(
    "A12 (reset): asking for a link takes about as long for an unknown address as for a known one (paired median < 10 ms)",
    { retry: 2, timeout: 120_000 },
    async () => {
      const runs = 30;
      const users = [];
      for (let i = 0; i < runs; i++) users.push(await insertUser(t, { passwordHash: "$argon2id$unused" }));
      const timed = async (email: string) => {
        const c = client();
        await c.get("/api/v1/auth/csrf");
        const start = performance.now();
        expect((await c.post(RESET, { email })).statusCode).toBe(202);
        return performance.now() - start;
      };
      const diffs: number[] = [];
      for (let i = 0; i < runs; i++) {
        // Paired, alternating which goes first.
        const unknownEmail = `nobody-${i}-${Date.now()}@example.test`;
        const knownEmail = users[i]?.email ?? "";
        const first = await timed(i % 2 === 0 ? knownEmail : unknownEmail);
        const second = await timed(i % 2 === 0 ? unknownEmail : knownEmail);
        diffs.push(i % 2 === 0 ? first - second : second - first);
      }
      diffs.sort((a, b) => a - b);
      const median = ((diffs[runs / 2 - 1] ?? 0) + (diffs[runs / 2] ?? 0)) / 2;
      expect(Math.abs(median), `paired median ${median.toFixed(2)} ms`).toBeLessThan(10);
    },
  );

  it("requests are throttled quietly: after 3 per hour for one address, still 202 but no more mail", async () => {
    const user = await insertUser(t);
    for (let i = 0; i < 5; i++) expect((await client().post(RESET, { email: user.email })).statusCode).toBe(202);
    const tokens = await t.app.services.db.selectFrom("oneTimeTokens").select("id").where("userId", "=", user.id).execute();
    expect(tokens).toHaveLength(3);
    t.clock.advance(61 * 60_000);
    expect((await client().post(RESET, { email: user.email })).statusCode).toBe(202);
    const later = await t.app.services.db.selectFrom("oneTimeTokens").select("id").where("userId", "=", user.id).execute();
    expect(later).toHaveLength(4);
  });

  it("an invalid email is a 400 validation error (same for every malformed address)", async () => {
    const res = await client().post(RESET, { email: "not an email" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("validation_failed");
  });
});
