import { describe, expect, it } from "vitest";
import { totpSetupResponseSchema } from "../../../../contracts/security.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestClient } from "@test/test-client.js";
import { enrollTotp, insertUser, nextCode, signedInPerson, signInWithPassword, TEST_PASSWORD } from "@test/factories.js";
import { decodeBase32, independentTotp } from "@test/independent-totp.js";
import { expectMailedTo, expectOtherSessionsEnded } from "@test/expectations.js";
import { eventsOf, mailsTo } from "@test/inspect.js";
import { decodeQrSvg } from "./qr.test-support.js";

const t = useTestApp({}, { scope: "suite" });

/** Past the re-authentication age (10 min), inside the idle timeout (60 min). */
const STALE_MS = 11 * 60_000;

async function login(email: string, secret?: Uint8Array): Promise<TestClient> {
  const { client, body } = await signInWithPassword(t, { email });
  if (body.status === "mfa_required" && secret) {
    const response = await client.post("/api/v1/auth/login/mfa", { code: nextCode(t, secret) });
    expect(response.statusCode, response.body).toBe(200);
  }
  return client;
}

describe("B6: enrollment secrets", () => {
  it("B6: 200 enrollments give unique ≥ 20-byte secrets; the QR code decodes to the same URI and secret; no padding", async () => {
    const { client } = await signedInPerson(t);
    const secrets = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const body = totpSetupResponseSchema.parse((await client.post("/api/v1/me/mfa/totp/setup")).json());
      expect(body.secret).not.toContain("=");
      expect(body.secret).toMatch(/^[A-Z2-7]+$/);
      expect(decodeBase32(body.secret).length).toBeGreaterThanOrEqual(20);
      const fromQr = decodeQrSvg(body.qrCodeSvg);
      expect(fromQr).toBe(body.otpauthUri);
      const qrSecret = new URL(fromQr ?? "").searchParams.get("secret");
      expect(qrSecret).toBe(body.secret);
      secrets.add(body.secret);
    }
    expect(secrets.size).toBe(200);
  }, 180_000);
});

describe("B8: re-authentication before MFA changes", () => {
  it("B8: setup from an old session needs the password again (401 reauthentication_required), then works", async () => {
    const { client } = await signedInPerson(t);
    t.clock.advance(STALE_MS);
    const stale = await client.post("/api/v1/me/mfa/totp/setup");
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe("reauthentication_required");
    const wrong = await client.post("/api/v1/me/mfa/totp/setup", { password: "not my password at all" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("invalid_password");
    expect((await client.post("/api/v1/me/mfa/totp/setup", { password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it("B8: disabling from an old session needs password + current code; after that it succeeds", async () => {
    const { user, enrollment } = await signedInPerson(t);
    const client = await login(user.email);
    const { secret } = await enrollTotp(t, client);
    expect(enrollment).toBeUndefined();
    t.clock.advance(STALE_MS);
    const stale = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, secret) });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error).toMatchObject({ code: "reauthentication_required", details: { codeRequired: true } });
    expect((await client.get("/api/v1/me/mfa")).json().totp.enabled).toBe(true);
    const response = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, secret), password: TEST_PASSWORD });
    expect(response.statusCode, response.body).toBe(204);
    expect((await client.get("/api/v1/me/mfa")).json().totp.enabled).toBe(false);
  });

  it("B8: after POST /auth/reauthenticate, the old session can regenerate recovery codes with a code", async () => {
    const { client, enrollment } = await signedInPerson(t, { mfa: true });
    const secret = enrollment?.secret ?? new Uint8Array();
    t.clock.advance(STALE_MS);
    expect((await client.post("/api/v1/me/mfa/recovery-codes", { code: nextCode(t, secret) })).statusCode).toBe(401);
    const reauth = await client.post("/api/v1/auth/reauthenticate", { password: TEST_PASSWORD, code: nextCode(t, secret) });
    expect(reauth.statusCode, reauth.body).toBe(204);
    const regenerated = await client.post("/api/v1/me/mfa/recovery-codes", { code: nextCode(t, secret) });
    expect(regenerated.statusCode, regenerated.body).toBe(200);
  });

  it("B8/F1: disabling without the CSRF token is 403 and changes nothing", async () => {
    const { client, enrollment } = await signedInPerson(t, { mfa: true });
    const response = await client.request({
      method: "DELETE",
      url: "/api/v1/me/mfa/totp",
      payload: { code: nextCode(t, enrollment?.secret ?? new Uint8Array()) },
      csrf: false,
    });
    expect(response.statusCode).toBe(403);
    expect((await client.get("/api/v1/me/mfa")).json().totp.enabled).toBe(true);
  });
});

describe("B9: enrollment binding and final revocation", () => {
  it("B9: a wrong code (12345678) enables nothing, and sign-in does not ask for a code", async () => {
    const { client, user } = await signedInPerson(t);
    await client.post("/api/v1/me/mfa/totp/setup");
    const response = await client.post("/api/v1/me/mfa/totp/confirm", { code: "12345678" });
    expect(response.statusCode).toBe(400);
    expect((await signInWithPassword(t, user)).body.status).toBe("authenticated");
  });

  it("B9: after disable and re-enrollment, the old seed never works again and the new one does", async () => {
    const { client, user, enrollment } = await signedInPerson(t, { mfa: true });
    const oldSecret = enrollment?.secret ?? new Uint8Array();
    expect((await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, oldSecret) })).statusCode).toBe(204);
    expect((await signInWithPassword(t, user)).body.status).toBe("authenticated");
    const setup = totpSetupResponseSchema.parse((await client.post("/api/v1/me/mfa/totp/setup")).json());
    const newSecret = decodeBase32(setup.secret);
    expect(Buffer.from(newSecret).equals(Buffer.from(oldSecret))).toBe(false);
    t.clock.advance(30_000);
    expect(
      (await client.post("/api/v1/me/mfa/totp/confirm", { code: independentTotp(oldSecret, t.clock.now()) })).statusCode,
    ).toBe(400);
    expect(
      (await client.post("/api/v1/me/mfa/totp/confirm", { code: independentTotp(newSecret, t.clock.now()) })).statusCode,
    ).toBe(200);
    const pending = (await signInWithPassword(t, user)).client;
    t.clock.advance(30_000);
    expect((await pending.post("/api/v1/auth/login/mfa", { code: independentTotp(oldSecret, t.clock.now()) })).statusCode).toBe(
      401,
    );
    expect((await pending.post("/api/v1/auth/login/mfa", { code: independentTotp(newSecret, t.clock.now()) })).statusCode).toBe(
      200,
    );
  });

  it("B9: disabling needs a correct code (400 invalid_code otherwise) and is refused while an account requires MFA", async () => {
    const { client, user, enrollment } = await signedInPerson(t, { mfa: true });
    const wrong = await client.delete("/api/v1/me/mfa/totp", { code: "000000" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe("invalid_code");
    const now = t.clock.now();
    await t.app.services.db
      .insertInto("accounts")
      .values({ id: "VA-900-001", name: "Strict Vendor", type: "vendor", mfaPolicy: "required", createdAt: now, updatedAt: now })
      .execute();
    await t.app.services.db
      .insertInto("accountMemberships")
      .values({ accountId: "VA-900-001", userId: user.id, joinedAt: now })
      .execute();
    const refused = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, enrollment?.secret ?? new Uint8Array()) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: "mfa_required_by_account",
      details: { accounts: [{ id: "VA-900-001", name: "Strict Vendor" }] },
    });
    expect((await client.get("/api/v1/me/mfa")).json().totp.enabled).toBe(true);
    // The code was not spent by the refusal: it still works (here, to regenerate codes).
    const same = independentTotp(enrollment?.secret ?? new Uint8Array(), t.clock.now());
    expect((await client.post("/api/v1/me/mfa/recovery-codes", { code: same })).statusCode).toBe(200);
  });
});

describe("B10: recovery codes", () => {
  it("B10: stored only as argon2id hashes with a lookup id; no plaintext code in the table", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const rows = await t.app.services.db.selectFrom("recoveryCodes").selectAll().where("userId", "=", user.id).execute();
    expect(rows).toHaveLength(10);
    const dump = JSON.stringify(rows);
    for (const code of enrollment?.recoveryCodes ?? []) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replaceAll("-", ""));
    }
    for (const row of rows)
      expect(row.codeHash).toMatch(/^[0-9a-z]{4}:\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(new Set(rows.map((r) => r.codeHash.split("$")[4])).size).toBe(10);
  });

  it("B10: each code works once; using one is logged and mailed with the count left", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const code = enrollment?.recoveryCodes[3] ?? "";
    const first = await signInWithPassword(t, user);
    expect((await first.client.post("/api/v1/auth/login/mfa", { code })).json().recoveryCodesLeft).toBe(9);
    const second = await signInWithPassword(t, user);
    expect((await second.client.post("/api/v1/auth/login/mfa", { code })).statusCode).toBe(401);
    expect(await eventsOf(t, user.id, "mfa_recovery_code_used")).toHaveLength(1);
    expect(await eventsOf(t, user.id, "authn_token_reuse")).toHaveLength(1);
    const mails = await mailsTo(t, user.email);
    const notice = mails.find((m) => m.subject.startsWith("A recovery code was used"));
    expect(notice?.raw).toContain("You have 9 recovery codes left.");
  });

  it("B10: regenerated codes replace the old ones, which stop working", async () => {
    const { user, client, enrollment } = await signedInPerson(t, { mfa: true });
    const response = await client.post("/api/v1/me/mfa/recovery-codes", {
      code: nextCode(t, enrollment?.secret ?? new Uint8Array()),
    });
    const fresh = response.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => enrollment?.recoveryCodes.includes(c))).toBe(false);
    const old = await signInWithPassword(t, user);
    expect((await old.client.post("/api/v1/auth/login/mfa", { code: enrollment?.recoveryCodes[0] })).statusCode).toBe(401);
    expect((await old.client.post("/api/v1/auth/login/mfa", { code: fresh[0] })).statusCode).toBe(200);
    expect(await eventsOf(t, user.id, "mfa_recovery_codes_regenerated")).toHaveLength(1);
  });

  it("B10: a recovery code can confirm an MFA-gated action (disable)", async () => {
    const { client, enrollment } = await signedInPerson(t, { mfa: true });
    expect((await client.delete("/api/v1/me/mfa/totp", { code: enrollment?.recoveryCodes[0] })).statusCode).toBe(204);
  });
});

describe("C7: MFA changes end the other sessions", () => {
  it("C7: enabling TOTP in A ends B and C; A continues on a rotated token", async () => {
    const user = await insertUser(t);
    const a = await login(user.email);
    const b = await login(user.email);
    const c = await login(user.email);
    const before = a.sessionToken();
    await enrollTotp(t, a);
    await expectOtherSessionsEnded(t, {
      userId: user.id,
      current: a,
      previousToken: before,
      others: [b, c],
      reason: "mfa_enabled",
    });
  });

  it("C7: disabling TOTP in A ends B; A continues on a rotated token", async () => {
    const user = await insertUser(t);
    const a = await login(user.email);
    const { secret } = await enrollTotp(t, a);
    const b = await login(user.email, secret);
    const before = a.sessionToken();
    expect((await a.delete("/api/v1/me/mfa/totp", { code: nextCode(t, secret) })).statusCode).toBe(204);
    expect(a.sessionToken()).not.toBe(before);
    expect((await a.get("/api/v1/me")).statusCode).toBe(200);
    expect((await b.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("every MFA change mails a notice", async () => {
    const user = await insertUser(t);
    const a = await login(user.email);
    const { secret } = await enrollTotp(t, a);
    await a.post("/api/v1/me/mfa/recovery-codes", { code: nextCode(t, secret) });
    await a.delete("/api/v1/me/mfa/totp", { code: nextCode(t, secret) });
    await expectMailedTo(t, user.email, [
      "Two-factor authentication is on for your Profile Center login",
      "New recovery codes for your Profile Center login",
      "Two-factor authentication was turned off for your Profile Center login",
    ]);
    expect((await eventsOf(t, user.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining(["mfa_enabled", "mfa_recovery_codes_regenerated", "mfa_disabled"]),
    );
  });
});
