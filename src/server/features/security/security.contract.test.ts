import { describe, expect, it } from "vitest";
import { mfaStatusSchema } from "../../../contracts/security.js";
import { useTestApp } from "@test/use-test-app.js";
import { nextCode, signedInPerson, signInWithPassword } from "@test/factories.js";
import { USER_JSON_KEYS } from "@test/expectations.js";
import { decodeBase32, independentTotp } from "@test/independent-totp.js";

const t = useTestApp({}, { scope: "suite" });

/** Every key path of a JSON value (`a.b`, array items as `[]`), sorted: the shape, not the values. */
function shapeOf(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => shapeOf(item, `${path}[]`)))].sort();
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .flatMap(([key, inner]) => {
        const here = path ? `${path}.${key}` : key;
        return [here, ...shapeOf(inner, here)];
      })
      .sort();
  }
  return [];
}

const FORBIDDEN = /password|hash|secret|token|recovery_?codes?$|codeHash|totp_?secret/i;

describe("J2: responses carry only allow-listed fields", () => {
  it("J2: /me, /me/mfa and the session list match their allow-lists and echo no secret", async () => {
    const { client, user, enrollment } = await signedInPerson(t, { mfa: true });
    const me = (await client.get("/api/v1/me")).json();
    expect(shapeOf(me)).toEqual(USER_JSON_KEYS);
    const mfa = (await client.get("/api/v1/me/mfa")).json();
    expect(shapeOf(mfa)).toEqual(["passkeys", "recoveryCodesLeft", "requiredBy", "totp", "totp.enabled", "totp.enabledAt"]);
    const sessions = await client.get("/api/v1/me/sessions");
    expect(sessions.statusCode).toBe(200);
    expect(shapeOf(sessions.json())).toEqual(
      [
        "items",
        ...[
          "apps",
          "browser",
          "createdAt",
          "current",
          "deviceType",
          "endReason",
          "endedAt",
          "expiresAt",
          "id",
          "ip",
          "lastSeenAt",
          "location",
          "mfa",
          "os",
          "userAgent",
        ].map((k) => `items[].${k}`),
        "nextCursor",
      ].sort(),
    );
    const bodies = [me, mfa, sessions.json()].map((b) => JSON.stringify(b));
    for (const body of bodies) {
      for (const key of shapeOf(JSON.parse(body))) expect(key).not.toMatch(FORBIDDEN);
      expect(body).not.toContain(client.sessionToken() ?? "-");
      expect(body).not.toContain(enrollment?.secretBase32 ?? "-");
      for (const code of enrollment?.recoveryCodes ?? []) expect(body).not.toContain(code);
      expect(body).not.toContain("$argon2id$");
    }
    expect(me.id).toBe(user.id);
  });

  it("J2: the sign-in code step answers {status, user} (+ recoveryCodesLeft) and no token", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const { client } = await signInWithPassword(t, user);
    const response = await client.post("/api/v1/auth/login/mfa", { code: nextCode(t, enrollment?.secret ?? new Uint8Array()) });
    expect(Object.keys(response.json()).sort()).toEqual(["status", "user"]);
    expect(response.body).not.toContain(client.sessionToken() ?? "-");
  });
});

describe("B1: MFA where an account requires it", () => {
  async function requiredAccount(userId: string) {
    const now = t.clock.now();
    const id = `VA-${String(Math.floor(Math.random() * 900) + 100)}-${String(Math.floor(Math.random() * 900) + 100)}`;
    const { db } = t.app.services;
    await db
      .insertInto("accounts")
      .values({ id, name: `Strict ${id}`, type: "vendor", mfaPolicy: "required", createdAt: now, updatedAt: now })
      .execute();
    await db.insertInto("accountMemberships").values({ accountId: id, userId, joinedAt: now }).execute();
    return id;
  }

  it("B1: without MFA the account is refused (403 mfa_setup_required); after setup in the same session it opens", async () => {
    const { user, client } = await signedInPerson(t);
    const accountId = await requiredAccount(user.id);
    const refused = await client.post("/api/v1/me/active-account", { accountId });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("mfa_setup_required");
    const setup = await client.post("/api/v1/me/mfa/totp/setup");
    const secret = setup.json().secret as string;
    const confirm = await client.post("/api/v1/me/mfa/totp/confirm", {
      code: independentTotp(decodeBase32(secret), t.clock.now()),
    });
    expect(confirm.statusCode).toBe(200);
    expect((await client.post("/api/v1/me/active-account", { accountId })).statusCode).toBe(200);
  });

  it("B1: a sign-in with password + code opens it; the password alone gets no further than the code step", async () => {
    const { user, enrollment } = await signedInPerson(t, { mfa: true });
    const accountId = await requiredAccount(user.id);
    const { client } = await signInWithPassword(t, user);
    expect((await client.post("/api/v1/me/active-account", { accountId })).statusCode).toBe(401);
    await client.post("/api/v1/auth/login/mfa", { code: nextCode(t, enrollment?.secret ?? new Uint8Array()) });
    expect((await client.post("/api/v1/me/active-account", { accountId })).statusCode).toBe(200);
  });

  it("B1: MFA cannot be turned off while the account requires it", async () => {
    const { user, client, enrollment } = await signedInPerson(t, { mfa: true });
    await requiredAccount(user.id);
    const response = await client.delete("/api/v1/me/mfa/totp", { code: nextCode(t, enrollment?.secret ?? new Uint8Array()) });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe("mfa_required_by_account");
  });

  it("GET /me/mfa names the accounts that require MFA, so the refusal is known before a code is typed", async () => {
    const { user, client } = await signedInPerson(t, { mfa: true });
    const before = mfaStatusSchema.parse((await client.get("/api/v1/me/mfa")).json());
    expect(before.requiredBy).toEqual([]);
    const accountId = await requiredAccount(user.id);
    const after = mfaStatusSchema.parse((await client.get("/api/v1/me/mfa")).json());
    expect(after.requiredBy).toEqual([{ id: accountId, name: expect.any(String) }]);
  });
});
