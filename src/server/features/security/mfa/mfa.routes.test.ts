import { describe, expect, it } from "vitest";
import { authenticatedResponseSchema } from "../../../../contracts/auth.js";
import { mfaStatusSchema, recoveryCodesResponseSchema, totpSetupResponseSchema } from "../../../../contracts/security.js";
import { createTestApp } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";
import { enrollTotp, insertUser, nextCode, signedInPerson, signInWithPassword } from "@test/factories.js";
import { decodeBase32, independentTotp } from "@test/independent-totp.js";
import { expectMailedTo } from "@test/expectations.js";
import { eventsOf } from "@test/inspect.js";

const t = useTestApp({}, { scope: "suite" });

describe("GET /me/mfa", () => {
  it("answers 401 without a session", async () => {
    const response = await t.client().get("/api/v1/me/mfa");
    expect(response.statusCode).toBe(401);
  });

  it("reports off, then on with since-when and 10 codes left", async () => {
    const { client } = await signedInPerson(t);
    const off = mfaStatusSchema.parse((await client.get("/api/v1/me/mfa")).json());
    expect(off).toEqual({ totp: { enabled: false, enabledAt: null }, recoveryCodesLeft: 0, passkeys: 0, requiredBy: [] });
    await enrollTotp(t, client);
    const on = mfaStatusSchema.parse((await client.get("/api/v1/me/mfa")).json());
    expect(on.totp.enabled).toBe(true);
    expect(on.totp.enabledAt).toBe(new Date(t.clock.now()).toISOString());
    expect(on.recoveryCodesLeft).toBe(10);
  });
});

describe("setup and confirm", () => {
  it("setup answers the secret, the contract's otpauth URI and an SVG QR code", async () => {
    const { client, user } = await signedInPerson(t);
    const response = await client.post("/api/v1/me/mfa/totp/setup");
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toContain("no-store");
    const body = totpSetupResponseSchema.parse(response.json());
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauthUri).toBe(
      `otpauth://totp/Connect%20Auth:${encodeURIComponent(user.email)}?secret=${body.secret}&issuer=Connect%20Auth&algorithm=SHA1&digits=6&period=30`,
    );
    expect(body.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("uses MFA_ISSUER for the label prefix and the issuer parameter", async () => {
    const other = await createTestApp({ MFA_ISSUER: "ACME Portal" });
    try {
      const { client, user } = await signedInPerson(other);
      const body = totpSetupResponseSchema.parse((await client.post("/api/v1/me/mfa/totp/setup")).json());
      expect(body.otpauthUri).toBe(
        `otpauth://totp/ACME%20Portal:${encodeURIComponent(user.email)}?secret=${body.secret}&issuer=ACME%20Portal&algorithm=SHA1&digits=6&period=30`,
      );
    } finally {
      await other.close();
    }
  });

  it("confirm turns MFA on, answers 10 distinct codes once, mails a notice and records the event", async () => {
    const { client, user } = await signedInPerson(t);
    const { recoveryCodes } = await enrollTotp(t, client);
    expect(recoveryCodesResponseSchema.parse({ recoveryCodes }).recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    expect((await client.get("/api/v1/me")).json()).toMatchObject({ mfaEnabled: true });
    expect(await eventsOf(t, user.id, "mfa_enabled")).toHaveLength(1);
    await expectMailedTo(t, user.email, ["Two-factor authentication is on for your Profile Center login"]);
  });

  it("a wrong code confirms nothing (400 invalid_code)", async () => {
    const { client } = await signedInPerson(t);
    await client.post("/api/v1/me/mfa/totp/setup");
    const response = await client.post("/api/v1/me/mfa/totp/confirm", { code: "000000" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("invalid_code");
    expect((await client.get("/api/v1/me/mfa")).json().totp.enabled).toBe(false);
  });

  it("confirm without a setup in progress is a 409", async () => {
    const { client } = await signedInPerson(t);
    const response = await client.post("/api/v1/me/mfa/totp/confirm", { code: "123456" });
    expect(response.statusCode).toBe(409);
  });

  it("a second setup replaces the unconfirmed secret: only the newest one confirms", async () => {
    const { client } = await signedInPerson(t);
    const first = decodeBase32((await client.post("/api/v1/me/mfa/totp/setup")).json().secret);
    const second = decodeBase32((await client.post("/api/v1/me/mfa/totp/setup")).json().secret);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    const stale = await client.post("/api/v1/me/mfa/totp/confirm", { code: independentTotp(first, t.clock.now()) });
    expect(stale.statusCode).toBe(400);
    const fresh = await client.post("/api/v1/me/mfa/totp/confirm", { code: independentTotp(second, t.clock.now()) });
    expect(fresh.statusCode).toBe(200);
  });

  it("setup with MFA already on is 409 mfa_already_enabled", async () => {
    const { client } = await signedInPerson(t, { mfa: true });
    const response = await client.post("/api/v1/me/mfa/totp/setup");
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe("mfa_already_enabled");
  });
});

describe("sign-in code step", () => {
  it("password then code: the pending session becomes a full one on a new token", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    if (!enrollment) throw new Error("no enrollment");
    const { client, body } = await signInWithPassword(t, user);
    expect(body.status).toBe("mfa_required");
    const pendingToken = client.sessionToken();
    const response = await client.post("/api/v1/auth/login/mfa", { code: nextCode(t, enrollment.secret) });
    expect(response.statusCode, response.body).toBe(200);
    const answer = authenticatedResponseSchema.parse(response.json());
    expect(answer.status).toBe("authenticated");
    expect(answer.user.mfaEnabled).toBe(true);
    expect(answer.recoveryCodesLeft).toBeUndefined();
    expect(client.sessionToken()).not.toBe(pendingToken);
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    const session = await t.app.services.db
      .selectFrom("sessions")
      .selectAll()
      .where("userId", "=", user.id)
      .where("endedAt", "is", null)
      .orderBy("createdAt", "desc")
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({ mfaPending: 0, mfaVerified: 1 });
  });

  it("a wrong code is 401 invalid_code", async () => {
    const { user } = await signedInPerson(t, { mfa: true });
    const { client } = await signInWithPassword(t, user);
    const response = await client.post("/api/v1/auth/login/mfa", { code: "000000" });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("invalid_code");
  });

  it("a recovery code signs in and says how many remain", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const { client } = await signInWithPassword(t, user);
    const response = await client.post("/api/v1/auth/login/mfa", { code: enrollment?.recoveryCodes[0]?.toUpperCase() });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().recoveryCodesLeft).toBe(9);
    expect((await client.get("/api/v1/me/mfa")).json().recoveryCodesLeft).toBe(9);
  });

  it("without a session the code step is 401", async () => {
    const response = await t.client().post("/api/v1/auth/login/mfa", { code: "123456" });
    expect(response.statusCode).toBe(401);
  });

  it("a person without MFA never gets a pending session", async () => {
    const user = await insertUser(t);
    const { body } = await signInWithPassword(t, user);
    expect(body.status).toBe("authenticated");
  });
});
