import type { Kysely } from "kysely";
import type { Clock } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { EndReason } from "../../../contracts/sessions.js";
import type { Database, Executor, SessionsTable, UsersTable } from "../../db/schema.js";

/** A Kysely instance or an open transaction: store calls join the caller's transaction. */
export type { Executor };

/** Last-seen is written at most this often, not on every request. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;
/** A session waiting for the code step lives this long. */
export const MFA_PENDING_TTL_MS = 5 * 60_000;

/** What every authenticated request knows about its caller: one indexed lookup. */
export interface AuthContext {
  session: SessionsTable;
  user: UsersTable;
  /** The person has a confirmed authenticator. */
  mfaEnabled: boolean;
  /** The raw cookie token of this request (never stored, never logged). */
  token: string;
  /** MFA policy of the session's active account (null when none is active). */
  activeAccountPolicy: string | null;
}

export interface SessionStoreOptions {
  db: Kysely<Database>;
  clock: Clock;
  idleMinutes: number;
  maxHours: number;
}

export interface NewSessionInput {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  mfaPending?: boolean;
  mfaVerified?: boolean;
}

/**
 * The session engine: sessions are rows keyed by the SHA-256 of a random cookie token.
 * Validity is decided here on every request, from the database, so a revocation is seen by
 * every node on the very next request (no cache).
 */
export function createSessionStore({ db, clock, idleMinutes, maxHours }: SessionStoreOptions) {
  const idleMs = idleMinutes * 60_000;
  const maxMs = maxHours * 3_600_000;

  /** Creates a session and returns its cookie token (shown once, stored only hashed). */
  async function createSession(executor: Executor, input: NewSessionInput): Promise<{ token: string; session: SessionsTable }> {
    const now = clock.now();
    const token = newToken();
    const session: SessionsTable = {
      id: newOpaqueId(),
      tokenHash: hashToken(token),
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + (input.mfaPending ? MFA_PENDING_TTL_MS : maxMs),
      authenticatedAt: now,
      mfaPending: input.mfaPending ? 1 : 0,
      mfaVerified: input.mfaVerified ? 1 : 0,
      activeAccountId: null,
      notice: null,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      endedAt: null,
      endReason: null,
    };
    await executor.insertInto("sessions").values(session).execute();
    return { token, session };
  }

  /*
   * The session check's query, built and compiled ONCE: only the token hash changes between
   * requests, and building + compiling this four-table join through Kysely on every request cost
   * more CPU than running it (bench/, issue 8). The hash is bound as a parameter, as before.
   */
  const TOKEN_HASH_SLOT = "\u0000token-hash";
  const sessionCheck = db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.userId")
    .leftJoin("mfaFactors as f", (join) =>
      join.onRef("f.userId", "=", "s.userId").on("f.type", "=", "totp").on("f.confirmedAt", "is not", null),
    )
    .leftJoin("accounts as a", "a.id", "s.activeAccountId")
    .selectAll("s")
    .select([
      "u.email",
      "u.firstName",
      "u.lastName",
      "u.phone",
      "u.jobTitle",
      "u.locale",
      "u.timezone",
      "u.dateFormat",
      "u.timeFormat",
      "u.newsOptIn",
      "u.newsOptInChangedAt",
      "u.passwordHash",
      "u.passwordChangedAt",
      "u.createdAt as userCreatedAt",
      "u.updatedAt as userUpdatedAt",
      "f.id as factorId",
      "a.mfaPolicy as activeAccountPolicy",
    ])
    .where("s.tokenHash", "=", TOKEN_HASH_SLOT)
    .compile();
  const tokenHashIndex = sessionCheck.parameters.indexOf(TOKEN_HASH_SLOT);

  /** The session row (with its user's fields, MFA and active-account policy) of a token hash. */
  async function findSessionByTokenHash(tokenHash: string) {
    const parameters = [...sessionCheck.parameters];
    parameters[tokenHashIndex] = tokenHash;
    const query: typeof sessionCheck = { ...sessionCheck, parameters };
    const result = await db.executeQuery(query);
    return result.rows[0];
  }

  /**
   * The per-request check: one indexed lookup by token hash (joined with the user and whether
   * MFA is on). Ends expired sessions lazily. Returns undefined for anything not valid now.
   */
  async function validateSessionToken(token: string): Promise<AuthContext | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const row = await findSessionByTokenHash(hashToken(token));
    if (!row || row.endedAt !== null) return undefined;
    const now = clock.now();
    if (now >= row.expiresAt || now - row.lastSeenAt >= idleMs) {
      await endSession(db, row.id, "expired", Math.min(row.expiresAt, row.lastSeenAt + idleMs));
      return undefined;
    }
    const session: SessionsTable = {
      id: row.id,
      tokenHash: row.tokenHash,
      userId: row.userId,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt,
      authenticatedAt: row.authenticatedAt,
      mfaPending: row.mfaPending,
      mfaVerified: row.mfaVerified,
      activeAccountId: row.activeAccountId,
      notice: row.notice,
      ip: row.ip,
      userAgent: row.userAgent,
      endedAt: null,
      endReason: null,
    };
    if (now - row.lastSeenAt >= LAST_SEEN_WRITE_INTERVAL_MS) {
      await db.updateTable("sessions").set({ lastSeenAt: now }).where("id", "=", row.id).where("endedAt", "is", null).execute();
      session.lastSeenAt = now;
    }
    const user: UsersTable = {
      id: row.userId,
      email: row.email,
      firstName: row.firstName,
      lastName: row.lastName,
      phone: row.phone,
      jobTitle: row.jobTitle,
      locale: row.locale,
      timezone: row.timezone,
      dateFormat: row.dateFormat,
      timeFormat: row.timeFormat,
      newsOptIn: row.newsOptIn,
      newsOptInChangedAt: row.newsOptInChangedAt,
      passwordHash: row.passwordHash,
      passwordChangedAt: row.passwordChangedAt,
      createdAt: row.userCreatedAt,
      updatedAt: row.userUpdatedAt,
    };
    return { session, user, mfaEnabled: row.factorId !== null, token, activeAccountPolicy: row.activeAccountPolicy ?? null };
  }

  /**
   * Gives a session a new token (every authentication step, C2); the old token stops working
   * at once. `changes` records what the step proved.
   */
  async function rotateSession(
    executor: Executor,
    sessionId: string,
    changes: { authenticated?: boolean; mfaVerified?: boolean; mfaPending?: boolean } = {},
  ): Promise<string> {
    const now = clock.now();
    const token = newToken();
    await executor
      .updateTable("sessions")
      .set({
        tokenHash: hashToken(token),
        lastSeenAt: now,
        ...(changes.authenticated ? { authenticatedAt: now } : {}),
        ...(changes.mfaVerified !== undefined ? { mfaVerified: changes.mfaVerified ? 1 : 0 } : {}),
        ...(changes.mfaPending === false ? { mfaPending: 0, expiresAt: now + maxMs } : {}),
      })
      .where("id", "=", sessionId)
      .where("endedAt", "is", null)
      .execute();
    return token;
  }

  /** Ends one session with its reason; a no-op for one already ended. */
  async function endSession(executor: Executor, sessionId: string, reason: EndReason, at = clock.now()): Promise<boolean> {
    const result = await executor
      .updateTable("sessions")
      .set({ endedAt: at, endReason: reason })
      .where("id", "=", sessionId)
      .where("endedAt", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Ends every live session of a person, but the one kept (if any); returns how many ended. */
  async function endUserSessions(
    executor: Executor,
    userId: string,
    reason: EndReason,
    exceptSessionId?: string,
  ): Promise<number> {
    let query = executor
      .updateTable("sessions")
      .set({ endedAt: clock.now(), endReason: reason })
      .where("userId", "=", userId)
      .where("endedAt", "is", null);
    if (exceptSessionId) query = query.where("id", "!=", exceptSessionId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  return { createSession, validateSessionToken, rotateSession, endSession, endUserSessions, idleMs, maxMs };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
