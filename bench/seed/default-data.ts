import { Secret } from "otpauth";
import type { Encryptor } from "../../src/server/lib/crypto/encrypt.js";
import { accountIdOf, emailOf, groupIdOf, RandomPool, sessionRow, userIdOf, userRow } from "./rows.js";
import type { BulkWriter, Row } from "./writer.js";

/*
 * The default data set, written straight into the product's tables:
 * - POPULATION users, each with one live session (the session check runs against 100,000 rows,
 *   like the primary-key floor's table); the GET /me load rotates over a sample of their cookies;
 * - LIST_USERS people with 10 live sessions each, members of 5 accounts (2 groups per account);
 * - LOGIN_USERS people who sign in with the password (no MFA).
 */

export const POPULATION = 100_000;
const LIST_USERS = 200;
const LOGIN_USERS = 200;
const ME_SAMPLE = 2_000;
const ACCOUNTS = 50;
const BATCH = 10_000;
const HOUR = 3_600_000;

/** Index ranges of the people of each role. */
const LIST_BASE = POPULATION;
const LOGIN_BASE = LIST_BASE + LIST_USERS;
/** MFA people are added later, per run, from here on. */
export const MFA_BASE = 1_000_000_000 - 10_000_000;

export interface DefaultData {
  /** Cookies of the population (one person each), for GET /me. */
  meTokens: string[];
  /** The current session cookie of each list person (10 sessions, 5 accounts). */
  listTokens: string[];
  loginEmails: string[];
  password: string;
}

async function seedPopulation(writer: BulkWriter, passwordHash: string, now: number, pool: RandomPool): Promise<string[]> {
  const tokens: string[] = [];
  const every = Math.floor(POPULATION / ME_SAMPLE);
  for (let start = 0; start < POPULATION; start += BATCH) {
    const users: Row[] = [];
    const sessions: Row[] = [];
    for (let i = start; i < Math.min(start + BATCH, POPULATION); i++) {
      users.push(userRow(i, passwordHash, now));
      const sampled = i % every === 0;
      const s = sessionRow(
        { userId: userIdOf(i), createdAt: now - HOUR, lastSeenAt: now, expiresAt: now + 23 * HOUR },
        pool,
        sampled,
      );
      sessions.push(s.row);
      if (s.token) tokens.push(s.token);
    }
    await writer.insert("users", users);
    await writer.insert("sessions", sessions);
  }
  return tokens;
}

async function seedAccounts(writer: BulkWriter, now: number): Promise<void> {
  const types = ["vendor", "distributor", "reseller"];
  const policies = ["optional", "suggested", "optional"];
  const accounts: Row[] = [];
  const groups: Row[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const type = types[a % 3]!;
    const id = accountIdOf(a, type);
    accounts.push([id, `Bench Account ${String(a).padStart(2, "0")}`, type, policies[a % 3]!, now, now]);
    groups.push([groupIdOf(2 * a), id, "Administrators", 1, now], [groupIdOf(2 * a + 1), id, "Users", 0, now]);
  }
  await writer.insert("accounts", accounts);
  await writer.insert("account_groups", groups);
}

async function seedListPeople(writer: BulkWriter, passwordHash: string, now: number, pool: RandomPool): Promise<string[]> {
  const types = ["vendor", "distributor", "reseller"];
  const users: Row[] = [];
  const sessions: Row[] = [];
  const memberships: Row[] = [];
  const groupMemberships: Row[] = [];
  const tokens: string[] = [];
  for (let j = 0; j < LIST_USERS; j++) {
    const userId = userIdOf(LIST_BASE + j);
    users.push(userRow(LIST_BASE + j, passwordHash, now));
    for (let k = 0; k < 10; k++) {
      const s = sessionRow(
        { userId, createdAt: now - (k + 1) * HOUR, lastSeenAt: now, expiresAt: now + 12 * HOUR },
        pool,
        k === 0,
      );
      sessions.push(s.row);
      if (s.token) tokens.push(s.token);
    }
    for (let k = 0; k < 5; k++) {
      const a = (j * 5 + k) % ACCOUNTS;
      const accountId = accountIdOf(a, types[a % 3]!);
      memberships.push([accountId, userId, now - (k + 1) * 86_400_000]);
      groupMemberships.push([groupIdOf(2 * a + (k === 0 ? 0 : 1)), userId, accountId, now]);
    }
  }
  await writer.insert("users", users);
  await writer.insert("sessions", sessions);
  await writer.insert("account_memberships", memberships);
  await writer.insert("group_memberships", groupMemberships);
  return tokens;
}

/** Writes the default data set; returns the cookies and credentials the load uses. */
export async function seedDefaultData(
  writer: BulkWriter,
  passwordHash: string,
  password: string,
  now: number,
): Promise<DefaultData> {
  const pool = new RandomPool();
  const meTokens = await seedPopulation(writer, passwordHash, now, pool);
  await seedAccounts(writer, now);
  const listTokens = await seedListPeople(writer, passwordHash, now, pool);
  const loginUsers: Row[] = [];
  const loginEmails: string[] = [];
  for (let j = 0; j < LOGIN_USERS; j++) {
    loginUsers.push(userRow(LOGIN_BASE + j, passwordHash, now));
    loginEmails.push(emailOf(LOGIN_BASE + j));
  }
  await writer.insert("users", loginUsers);
  return { meTokens, listTokens, loginEmails, password };
}

/**
 * People with a confirmed authenticator (each their OWN secret, encrypted with the server's key
 * like the product stores it) and one pending sign-in each (the password step done, 5 minutes to
 * go): one code-step request per person, so no code is ever replayed and no person's throttle
 * is shared. `offset` keeps successive batches apart.
 */
export async function seedMfaPeople(
  writer: BulkWriter,
  encryptor: Encryptor,
  count: number,
  offset: number,
  now: number,
): Promise<Array<{ token: string; secretBase32: string }>> {
  const pool = new RandomPool();
  const items: Array<{ token: string; secretBase32: string }> = [];
  for (let start = 0; start < count; start += BATCH) {
    const users: Row[] = [];
    const factors: Row[] = [];
    const sessions: Row[] = [];
    for (let k = start; k < Math.min(start + BATCH, count); k++) {
      const i = MFA_BASE + offset + k;
      const userId = userIdOf(i);
      const secret = pool.take(20);
      users.push(userRow(i, null, now));
      factors.push([
        pool.opaqueId(),
        userId,
        "totp",
        encryptor.encrypt(new Uint8Array(secret)),
        now - 86_400_000,
        0,
        now - 86_400_000,
      ]);
      const s = sessionRow({ userId, createdAt: now, expiresAt: now + 5 * 60_000, mfaPending: true }, pool, true);
      sessions.push(s.row);
      items.push({ token: s.token!, secretBase32: new Secret({ buffer: Uint8Array.from(secret).buffer }).base32 });
    }
    await writer.insert("users", users);
    await writer.insert("mfa_factors", factors);
    await writer.insert("sessions", sessions);
  }
  return items;
}
