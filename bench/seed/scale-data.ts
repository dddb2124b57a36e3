import { RandomPool, sessionRow, userIdOf, userRow } from "./rows.js";
import type { BulkWriter, Row } from "./writer.js";

/*
 * The --scale data set, generated in batches straight into the product's tables: people with
 * `sessionsPerPerson` sessions each (one live, the others ended over the last 80 days), plus
 * one person with 100,000 ended sessions and one with 10,001 live ones.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const PEOPLE_PER_BATCH = 5_000;
const END_REASONS = ["signed_out", "expired", "revoked", "signed_out", "password_changed"];

export interface PeopleRange {
  from: number;
  to: number;
  sessionsPerPerson: number;
  /** Every `sampleEvery`-th person's live session gets a known cookie token. */
  sampleEvery: number;
  passwordHash: string;
  now: number;
  onProgress?: (people: number, sessions: number) => void;
}

/** Sessions of one person: one live (created within the day), the rest ended earlier. */
function sessionsOf(
  userId: string,
  count: number,
  now: number,
  pool: RandomPool,
  sampled: boolean,
): { rows: Row[]; token?: string } {
  const live = sessionRow({ userId, createdAt: now - 2 * HOUR, lastSeenAt: now, expiresAt: now + 22 * HOUR }, pool, sampled);
  const rows = [live.row];
  for (let k = 1; k < count; k++) {
    const createdAt = now - Math.floor((k * 80 * DAY) / count) + ((k * 7_919) % 1_000) * 60_000;
    const ended = { at: createdAt + 3 * HOUR, reason: END_REASONS[k % END_REASONS.length]! };
    rows.push(sessionRow({ userId, createdAt, lastSeenAt: ended.at, expiresAt: createdAt + 24 * HOUR, ended }, pool, false).row);
  }
  return live.token ? { rows, token: live.token } : { rows };
}

/** Writes people [from, to) and their sessions; returns the sampled live-session tokens. */
export async function seedPeople(writer: BulkWriter, range: PeopleRange): Promise<string[]> {
  const pool = new RandomPool();
  const tokens: string[] = [];
  let sessions = 0;
  for (let start = range.from; start < range.to; start += PEOPLE_PER_BATCH) {
    const users: Row[] = [];
    const sessionRows: Row[] = [];
    for (let i = start; i < Math.min(start + PEOPLE_PER_BATCH, range.to); i++) {
      users.push(userRow(i, range.passwordHash, range.now));
      const own = sessionsOf(userIdOf(i), range.sessionsPerPerson, range.now, pool, i % range.sampleEvery === 0);
      for (const row of own.rows) sessionRows.push(row);
      if (own.token) tokens.push(own.token);
    }
    await writer.insert("users", users);
    await writer.insert("sessions", sessionRows);
    sessions += sessionRows.length;
    range.onProgress?.(Math.min(start + PEOPLE_PER_BATCH, range.to) - range.from, sessions);
  }
  return tokens;
}

/** A person with `ended` ended sessions (over the last 80 days) and one live session; returns its token. */
export async function seedHistoryPerson(
  writer: BulkWriter,
  i: number,
  ended: number,
  passwordHash: string,
  now: number,
): Promise<string> {
  const pool = new RandomPool();
  const userId = userIdOf(i);
  await writer.insert("users", [userRow(i, passwordHash, now)]);
  const span = 80 * DAY;
  for (let start = 0; start < ended; start += 50_000) {
    const rows: Row[] = [];
    for (let k = start; k < Math.min(start + 50_000, ended); k++) {
      const createdAt = now - span + Math.floor((k * span) / ended);
      const end = { at: createdAt + HOUR, reason: END_REASONS[k % END_REASONS.length]! };
      rows.push(
        sessionRow({ userId, createdAt, lastSeenAt: end.at, expiresAt: createdAt + 24 * HOUR, ended: end }, pool, false).row,
      );
    }
    await writer.insert("sessions", rows);
  }
  const live = sessionRow({ userId, createdAt: now, expiresAt: now + 24 * HOUR }, pool, true);
  await writer.insert("sessions", [live.row]);
  return live.token!;
}

/** A person with `others + 1` live sessions; returns the current one's token and id. */
export async function seedManySessionsPerson(
  writer: BulkWriter,
  i: number,
  others: number,
  passwordHash: string,
  now: number,
): Promise<{ token: string; sessionId: string; userId: string }> {
  const pool = new RandomPool();
  const userId = userIdOf(i);
  await writer.insert("users", [userRow(i, passwordHash, now)]);
  const rows: Row[] = [];
  for (let k = 0; k < others; k++) {
    rows.push(sessionRow({ userId, createdAt: now - HOUR + k, lastSeenAt: now, expiresAt: now + 23 * HOUR }, pool, false).row);
  }
  await writer.insert("sessions", rows);
  const current = sessionRow({ userId, createdAt: now, expiresAt: now + 24 * HOUR }, pool, true);
  await writer.insert("sessions", [current.row]);
  return { token: current.token!, sessionId: String(current.row[0]), userId };
}
