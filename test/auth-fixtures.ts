import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { TestApp } from "./create-test-app.js";
import type { TestClient } from "./test-client.js";
import { hashToken } from "../src/server/lib/crypto/hash-token.js";
import { newOpaqueId, newUserId } from "../src/server/lib/ids.js";

/** A password that passes the policy (no common words, no sequences). */
export const GOOD_PASSWORD = "velvet orbit canyon 47 marmalade";

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** Inserts a person with an argon2id password hash (made by the app's own hasher). */
export async function createUser(
  t: TestApp,
  input: { email?: string; password?: string; firstName?: string; passwordHash?: string | null } = {},
): Promise<TestUser> {
  const email = input.email ?? `person-${randomBytes(4).toString("hex")}@example.test`;
  const password = input.password ?? GOOD_PASSWORD;
  const id = newUserId();
  const now = t.clock.now();
  await t.app.services.db
    .insertInto("users")
    .values({
      id,
      email,
      firstName: input.firstName ?? "Ada",
      lastName: "Lovelace",
      phone: null,
      jobTitle: null,
      locale: "en-GB",
      timezone: "Europe/Berlin",
      dateFormat: "YYYY-MM-DD",
      timeFormat: "24h",
      newsOptIn: 0,
      newsOptInChangedAt: null,
      passwordHash: input.passwordHash === undefined ? await t.app.services.hasher.hashPassword(password) : input.passwordHash,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return { id, email, password };
}

/**
 * Turns MFA on for a person by storing a confirmed TOTP factor; returns a code generator from
 * an independent implementation (otpauth), so tests do not grade our TOTP with itself.
 */
export async function enableTotp(t: TestApp, userId: string): Promise<{ codeAt: (ms: number) => string }> {
  const secret = new Uint8Array(randomBytes(20));
  const now = t.clock.now();
  await t.app.services.db
    .insertInto("mfaFactors")
    .values({
      id: newOpaqueId(),
      userId,
      type: "totp",
      secretEncrypted: t.app.services.encryptor.encrypt(secret),
      confirmedAt: now,
      lastUsedStep: 0,
      createdAt: now,
    })
    .execute();
  const totp = new TOTP({ secret: new Secret({ buffer: secret.buffer }), algorithm: "SHA1", digits: 6, period: 30 });
  return { codeAt: (ms) => totp.generate({ timestamp: ms }) };
}

/** Signs a client in with email and password; returns the response. */
export function signIn(client: TestClient, user: { email: string; password: string }) {
  return client.post("/api/v1/auth/login", { email: user.email, password: user.password });
}

/** The session row of a cookie token (looked up by its SHA-256, as the app does). */
export async function sessionRowOf(t: TestApp, token: string | undefined) {
  if (!token) return undefined;
  return t.app.services.db.selectFrom("sessions").selectAll().where("tokenHash", "=", hashToken(token)).executeTakeFirst();
}

/** Every security event of a type, oldest first. */
export function eventsOf(t: TestApp, type: string) {
  return t.app.services.db.selectFrom("securityEvents").selectAll().where("type", "=", type).orderBy("at").execute();
}

/** Every row of every table as one string (for "no secret anywhere in the database" checks, I4/C1). */
export async function dumpDatabase(t: TestApp): Promise<string> {
  const tables = [
    "users",
    "accounts",
    "accountGroups",
    "accountMemberships",
    "groupMemberships",
    "sessions",
    "mfaFactors",
    "recoveryCodes",
    "oneTimeTokens",
    "securityEvents",
    "mailOutbox",
    "throttles",
    "knownDevices",
    "jobLocks",
  ] as const;
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify(await t.app.services.db.selectFrom(table).selectAll().execute()));
  return parts.join("\n");
}

/** The token of the (newest) still-usable reset link mailed to `to`. */
export async function resetTokenFromMail(t: TestApp, to: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    // A delivery run already under way may have started before this mail was queued: run again.
    await t.app.services.mailer.deliverDueMail();
    const tokens = t
      .mails()
      .filter((m) => m.to.includes(to))
      .map((m) => /reset-password\?token=([\w%-]+)/.exec(m.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "="))?.[1])
      .filter((v): v is string => v !== undefined)
      .map(decodeURIComponent);
    const unused = [];
    for (const token of tokens) {
      const row = await t.app.services.db
        .selectFrom("oneTimeTokens")
        .select("usedAt")
        .where("tokenHash", "=", hashToken(token))
        .executeTakeFirst();
      if (row && row.usedAt === null) unused.push(token);
    }
    if (unused.length > 0) return unused[unused.length - 1] as string;
  }
  throw new Error(`no usable reset link in the mail to ${to}`);
}
