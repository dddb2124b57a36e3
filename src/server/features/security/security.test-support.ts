import { createHmac, randomBytes } from "node:crypto";
import path from "node:path";
import { Writable } from "node:stream";
import { expect } from "vitest";
import { buildApp } from "../../app.js";
import { openDatabase } from "../../db/database.js";
import type { UsersTable } from "../../db/schema.js";
import { newUserId } from "../../lib/ids.js";
import type { TestApp } from "../../../../test/create-test-app.js";
import { createClient, type TestClient } from "../../../../test/test-client.js";

/** The password of every person made here (long enough for the default policy). */
export const PASSWORD = "correct horse battery staple";

/** Inserts a person directly (operators provision people; there is no sign-up). */
export async function insertUser(t: TestApp, overrides: Partial<UsersTable> = {}, password = PASSWORD): Promise<UsersTable> {
  const now = t.clock.now();
  const user: UsersTable = {
    id: newUserId(),
    email: `person-${randomBytes(4).toString("hex")}@example.com`,
    firstName: "Grace",
    lastName: "Hopper",
    phone: null,
    jobTitle: null,
    locale: "en-GB",
    timezone: "UTC",
    dateFormat: "YYYY-MM-DD",
    timeFormat: "24h",
    newsOptIn: 0,
    newsOptInChangedAt: null,
    passwordHash: await t.app.services.hasher.hashPassword(password),
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await t.app.services.db.insertInto("users").values(user).execute();
  return user;
}

/** Signs in through the real API; returns the client and the login answer. */
export async function signIn(t: TestApp, email: string, password = PASSWORD, client: TestClient = t.client()) {
  const response = await client.post("/api/v1/auth/login", { email, password });
  return { client, response, body: response.json() as { status: string } };
}

/**
 * An INDEPENDENT RFC 6238 implementation (HMAC-SHA1, dynamic truncation) for tests, so the
 * product's TOTP code is never checked against itself.
 */
export function independentTotp(secret: Uint8Array, atMs: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac("sha1", Buffer.from(secret)).update(counter).digest();
  const offset = (mac[19] ?? 0) & 0xf;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, "0");
}

/** RFC 4648 base32 decoding, independent of the product's. */
export function decodeBase32(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of text.replace(/=+$/, "")) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    bits += index.toString(2).padStart(5, "0");
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return new Uint8Array(bytes);
}

/** What an enrollment produced. */
export interface Enrollment {
  secret: Uint8Array;
  secretBase32: string;
  recoveryCodes: string[];
}

/** Sets up and confirms TOTP through the API for a signed-in client (its session must be recent). */
export async function enrollTotp(t: TestApp, client: TestClient): Promise<Enrollment> {
  const setup = await client.post("/api/v1/me/mfa/totp/setup");
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret: secretBase32 } = setup.json() as { secret: string };
  const secret = decodeBase32(secretBase32);
  const confirm = await client.post("/api/v1/me/mfa/totp/confirm", { code: independentTotp(secret, t.clock.now()) });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { secret, secretBase32, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** The next time step's code (moves the fake clock 30 s so the previous code's step is spent). */
export function nextCode(t: TestApp, secret: Uint8Array): string {
  t.clock.advance(30_000);
  return independentTotp(secret, t.clock.now());
}

/** A signed-in person (through the real login), optionally with TOTP on. */
export async function signedInPerson(t: TestApp, options: { mfa?: boolean; user?: Partial<UsersTable> } = {}) {
  const user = await insertUser(t, options.user);
  const { client, response } = await signIn(t, user.email);
  expect(response.statusCode, response.body).toBe(200);
  const enrollment = options.mfa ? await enrollTotp(t, client) : undefined;
  return { user, client, enrollment };
}

/** Security events of a person, oldest first. */
export async function eventsOf(t: TestApp, userId: string, type?: string) {
  let query = t.app.services.db.selectFrom("securityEvents").selectAll().where("userId", "=", userId);
  if (type) query = query.where("type", "=", type);
  return query.orderBy("at").execute();
}

/** Mail delivered so far to an address (runs the outbox first). */
export async function mailsTo(t: TestApp, address: string) {
  // A run already in progress may predate the newest mail: run until nothing is left.
  while ((await t.app.services.mailer.deliverDueMail()) > 0);
  await t.app.services.mailer.deliverDueMail();
  return t
    .mails()
    .map((m) => {
      // Long headers are folded over several lines in the .eml: unfold before reading them.
      const headers = (m.raw.split(/\r?\n\r?\n/)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(headers)?.[1]?.trim() ?? "";
      return { ...m, to: header("To"), subject: header("Subject") };
    })
    .filter((m) => m.to.includes(address));
}

/** A second app node on the same database (own pool / connection), sharing the fake clock. */
export async function secondNode(t: TestApp) {
  const database = openDatabase(t.config.databaseUrl, { poolSize: 5 });
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = await buildApp({
    config: t.config,
    database,
    clock: t.clock,
    logStream: discard,
    webRoot: path.join(t.config.dataDir, "no-web"),
  });
  await app.ready();
  return {
    app,
    client: () => createClient(app, { origin: t.config.publicUrl, secure: t.config.secure }),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
