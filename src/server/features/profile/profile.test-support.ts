import { randomBytes } from "node:crypto";
import type { UsersTable } from "../../db/schema.js";
import { newUserId } from "../../lib/ids.js";
import type { TestApp } from "../../../../test/create-test-app.js";
import type { TestClient } from "../../../../test/test-client.js";

/** The password of every user made here (long enough for the default policy). */
export const TEST_PASSWORD = "correct horse battery staple";

/** A stored user plus a client holding a fully signed-in session for them. */
export interface SignedInUser {
  user: UsersTable;
  client: TestClient;
}

/** Inserts a user directly (there is no sign-up in the product; operators provision people). */
export async function insertUser(t: TestApp, overrides: Partial<UsersTable> = {}): Promise<UsersTable> {
  const now = t.clock.now();
  const user: UsersTable = {
    id: newUserId(),
    email: `person-${randomBytes(4).toString("hex")}@example.com`,
    firstName: "Ada",
    lastName: "Lovelace",
    phone: null,
    jobTitle: null,
    locale: "en-GB",
    timezone: "UTC",
    dateFormat: "YYYY-MM-DD",
    timeFormat: "24h",
    newsOptIn: 0,
    newsOptInChangedAt: null,
    passwordHash: await t.app.services.hasher.hashPassword(TEST_PASSWORD),
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await t.app.services.db.insertInto("users").values(user).execute();
  return user;
}

/** A client with a new live session of the user, through the real session engine (sign-in is another feature). */
export async function signIn(t: TestApp, userId: string): Promise<TestClient> {
  const { token } = await t.app.services.sessions.createSession(t.app.services.db, {
    userId,
    ip: "127.0.0.1",
    userAgent: "vitest",
  });
  const client = t.client();
  client.setSessionToken(token);
  return client;
}

/** A new user with a live session. */
export async function signedInUser(t: TestApp, overrides: Partial<UsersTable> = {}): Promise<SignedInUser> {
  const user = await insertUser(t, overrides);
  return { user, client: await signIn(t, user.id) };
}

/** The stored user row. */
export async function readUser(t: TestApp, id: string): Promise<UsersTable | undefined> {
  return t.app.services.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Security events of a user, oldest first. */
export async function eventsOf(t: TestApp, userId: string, type?: string) {
  let query = t.app.services.db.selectFrom("securityEvents").selectAll().where("userId", "=", userId);
  if (type) query = query.where("type", "=", type);
  return query.orderBy("at").execute();
}
