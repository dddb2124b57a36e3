import { accountThrottleKey } from "../src/server/features/auth/credential-check.js";
import { hashToken } from "../src/server/lib/crypto/hash-token.js";
import type { UsersTable } from "../src/server/db/schema.js";
import type { TestApp } from "./create-test-app.js";

/* Reading what the app stored and sent, for the tests' assertions. */

/** The stored user row. */
export async function readUser(t: TestApp, id: string): Promise<UsersTable | undefined> {
  return t.app.services.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Security events of a person (of one type, if given), oldest first. */
export async function eventsOf(t: TestApp, userId: string, type?: string) {
  let query = t.app.services.db.selectFrom("securityEvents").selectAll().where("userId", "=", userId);
  if (type) query = query.where("type", "=", type);
  return query.orderBy("at").execute();
}

/** Every security event of a type, whoever it concerns, oldest first. */
export function eventsOfType(t: TestApp, type: string) {
  return t.app.services.db.selectFrom("securityEvents").selectAll().where("type", "=", type).orderBy("at").execute();
}

/** The per-account sign-in throttle of an address (wrong passwords counted against it), if any. */
export function accountThrottleOf(t: TestApp, email: string) {
  return t.app.services.db.selectFrom("throttles").selectAll().where("key", "=", accountThrottleKey(email)).executeTakeFirst();
}

/** The session row of a cookie token (looked up by its SHA-256, as the app does). */
export async function sessionRowOf(t: TestApp, token: string | undefined) {
  if (!token) return undefined;
  return t.app.services.db.selectFrom("sessions").selectAll().where("tokenHash", "=", hashToken(token)).executeTakeFirst();
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
    "disabledUsers",
    "keyChecks",
    "lastActiveAccounts",
    "userSecurityStates",
    "passkeys",
    "oidcClients",
    "ssoApps",
    "ssoSessionClients",
  ] as const;
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify(await t.app.services.db.selectFrom(table).selectAll().execute()));
  return parts.join("\n");
}

/** Mail delivered so far to an address (runs the outbox first). */
export async function mailsTo(t: TestApp, address: string) {
  // A run already in progress may predate the newest mail: run until nothing is left.
  while ((await t.app.services.mailer.deliverDueMail()) > 0);
  await t.app.services.mailer.deliverDueMail();
  return t.mails().filter((m) => m.to.includes(address));
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

/**
 * The tokens of the links to `page` (e.g. `/lockdown`) in the mail delivered to `to`, oldest
 * first (runs the outbox first; undoes quoted-printable wrapping).
 */
export async function linkTokensFromMail(t: TestApp, to: string, page: string): Promise<string[]> {
  await mailsTo(t, to);
  const pattern = new RegExp(`${page.replace(/[/]/g, "\\/")}\\?token=([\\w%-]+)`, "g");
  const tokens: string[] = [];
  for (const mail of t.mails().filter((m) => m.to.includes(to))) {
    const raw = mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    for (const match of new Set([...raw.matchAll(pattern)].map((m) => m[1] as string))) tokens.push(decodeURIComponent(match));
  }
  return tokens;
}
