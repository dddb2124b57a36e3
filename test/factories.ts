import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { SessionsTable, UsersTable } from "../src/server/db/schema.js";
import { newUserRow } from "../src/server/features/users/users.repo.js";
import { newOpaqueId, newUserId } from "../src/server/lib/ids.js";
import type { TestApp } from "./create-test-app.js";
import { decodeBase32, independentTotp } from "./independent-totp.js";
import type { TestClient } from "./test-client.js";

/*
 * The shared builders of the server tests (style guide §8): people, their sessions and their
 * second factor, made through the product's own code (users repo, session engine, login API).
 */

/** The password of every person made here unless a test picks another (passes the default policy). */
export const TEST_PASSWORD = "correct horse battery staple";

/** Real user agents used across the tests. */
export const UA = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  firefoxLinux: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
} as const;

/** A stored person and the password that signs them in. */
export type TestUser = UsersTable & { password: string };

/** Email and password, as the login form takes them. */
export interface Credentials {
  email: string;
  password: string;
}

/**
 * Inserts a person directly (there is no sign-up: operators provision people) with the product's
 * defaults (users repo), a random address and an argon2id hash made by the app's own hasher.
 * `overrides` win (e.g. `passwordHash: null` for a person without a password).
 */
export async function insertUser(
  t: TestApp,
  overrides: Partial<UsersTable> = {},
  options: { password?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? TEST_PASSWORD;
  const passwordHash =
    overrides.passwordHash === undefined ? await t.app.services.hasher.hashPassword(password) : overrides.passwordHash;
  const email = `person-${randomBytes(4).toString("hex")}@example.com`;
  const row = newUserRow({ id: newUserId(), email, firstName: "Ada", lastName: "Lovelace", passwordHash }, t.clock.now());
  const user: UsersTable = { ...row, ...overrides };
  await t.app.services.db.insertInto("users").values(user).execute();
  return { ...user, password };
}

/**
 * A `sessions` row for tests that write the table directly (pruning, migrations): live, fully
 * signed in, in no account, at time 0 unless `overrides` say otherwise.
 */
export function sessionRow(overrides: Partial<SessionsTable> & Pick<SessionsTable, "userId">): SessionsTable {
  return {
    id: newOpaqueId(),
    tokenHash: newOpaqueId(),
    createdAt: 0,
    lastSeenAt: 0,
    expiresAt: 0,
    authenticatedAt: 0,
    mfaPending: 0,
    mfaVerified: 0,
    activeAccountId: null,
    notice: null,
    ip: null,
    userAgent: null,
    endedAt: null,
    endReason: null,
    generation: 0,
    authMethods: "",
    ...overrides,
  };
}

/**
 * A client holding a new session of the person, made by the session engine: fast (no password
 * hashing) and without the side effects of a sign-in (events, new-device alert).
 */
export async function openSession(t: TestApp, userId: string, options: { ip?: string; userAgent?: string } = {}) {
  const ip = options.ip ?? "203.0.113.20";
  const userAgent = options.userAgent ?? UA.firefoxLinux;
  const { token, session } = await t.app.services.sessions.createSession(t.app.services.db, { userId, ip, userAgent });
  const client = t.client({ ip, userAgent });
  client.setSessionToken(token);
  return { client, session, token };
}

/** A new person with a live session from the session engine. */
export async function signedInUser(t: TestApp, overrides: Partial<UsersTable> = {}) {
  const user = await insertUser(t, overrides);
  return { user, client: (await openSession(t, user.id)).client };
}

/** A stored person plus a client holding a fully signed-in session for them. */
export type SignedInUser = Awaited<ReturnType<typeof signedInUser>>;

/** `POST /auth/login` from `client`: the raw answer, whatever its status. */
export function signIn(client: TestClient, credentials: Credentials) {
  return client.post("/api/v1/auth/login", { email: credentials.email, password: credentials.password });
}

/** Signs in through the real API from a new client (or `options.client`): the client, the answer and its body. */
export async function signInWithPassword(
  t: TestApp,
  user: { email: string; password?: string },
  options: { client?: TestClient } = {},
) {
  const client = options.client ?? t.client();
  const response = await signIn(client, { email: user.email, password: user.password ?? TEST_PASSWORD });
  return { client, response, body: response.json() as { status: string } };
}

/** A client signed in through the real API with the password only, failing unless sign-in completed. */
export async function signedIn(
  t: TestApp,
  user: Credentials,
  options: { ip?: string; userAgent?: string } = {},
): Promise<TestClient> {
  const client = t.client(options);
  const response = await signIn(client, user);
  if (response.statusCode !== 200 || (response.json() as { status: string }).status !== "authenticated") {
    throw new Error(`sign-in did not finish: ${response.statusCode} ${response.body}`);
  }
  return client;
}

/**
 * Turns MFA on for a person by storing a confirmed TOTP factor; codes come from the independent
 * implementation, so tests do not grade our TOTP with itself.
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
  return { codeAt: (ms) => independentTotp(secret, ms) };
}

/**
 * Turns MFA on for the person and signs a client in with password and code, so the session
 * counts as MFA-verified (B1: verified in the current session).
 */
export async function signedInWithMfa(t: TestApp, user: Credentials & { id: string }): Promise<TestClient> {
  const totp = await enableTotp(t, user.id);
  const client = t.client();
  const first = await signIn(client, user);
  if ((first.json() as { status: string }).status !== "mfa_required") throw new Error(`expected the code step: ${first.body}`);
  const second = await client.post("/api/v1/auth/login/mfa", { code: totp.codeAt(t.clock.now()) });
  if (second.statusCode !== 200) throw new Error(`the code step failed: ${second.statusCode} ${second.body}`);
  return client;
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

/** A new person signed in through the real login, optionally with TOTP turned on through the API. */
export async function signedInPerson(t: TestApp, options: { mfa?: boolean; user?: Partial<UsersTable> } = {}) {
  const user = await insertUser(t, options.user);
  const { client, response } = await signInWithPassword(t, user);
  expect(response.statusCode, response.body).toBe(200);
  const enrollment = options.mfa ? await enrollTotp(t, client) : undefined;
  return { user, client, enrollment };
}
