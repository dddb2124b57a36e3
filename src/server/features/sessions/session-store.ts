import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { newOpaqueId } from "../../lib/ids.js";
import { END_REASONS, type EndReason } from "../../../contracts/sessions.js";
import type { Database, Executor, SessionsTable, UsersTable } from "../../db/schema.js";
import { allFieldsOf, fieldReader, selectList, type PrepareHotQuery, type RowValues } from "../../db/hot-query.js";
import { SESSION_ROW_FIELDS } from "./session-row.js";
import { createSessionCuts } from "./session-cuts.js";

/** The session's fields the session check reads: the row the pages read, and its token hash. */
const SESSION_FIELDS = allFieldsOf<SessionsTable>()([...SESSION_ROW_FIELDS, "tokenHash"]);

/** The person's fields the session check reads (all of them: `/me` presents them). */
const USER_FIELDS = allFieldsOf<UsersTable>()([
  "id",
  "email",
  "firstName",
  "lastName",
  "phone",
  "jobTitle",
  "locale",
  "timezone",
  "dateFormat",
  "timeFormat",
  "newsOptIn",
  "newsOptInChangedAt",
  "passwordHash",
  "passwordChangedAt",
  "createdAt",
  "updatedAt",
  "sessionGeneration",
  "unsettledCutAt",
  "unsettledCutReason",
]);

/*
 * The session check, run on every request (issue 8: prepared once, past the query builder):
 * the session row, its token hash, the person, then three facts around them.
 * Parameters: now (for a pending email change still usable), then the token hash.
 */
export const SESSION_CHECK_SQL = `
select ${selectList("s", SESSION_FIELDS)}, ${selectList("u", USER_FIELDS, "user.")},
  case when exists (
    select 1 from mfa_factors f where f.user_id = s.user_id and f.type = 'totp' and f.confirmed_at is not null
  ) then 1 else 0 end as "mfaEnabled",
  (select a.mfa_policy from accounts a where a.id = s.active_account_id) as "activeAccountPolicy",
  (select t.email from one_time_tokens t
    where t.user_id = s.user_id and t.purpose = 'email_change' and t.used_at is null and t.expires_at > ?
    order by t.created_at desc limit 1) as "pendingEmail"
from sessions s
join users u on u.id = s.user_id
where s.token_hash = ?`;

/** Where the check's columns start after the session's: the person, then the facts. */
const USER_AT = SESSION_FIELDS.length;
const FACTS_AT = USER_AT + USER_FIELDS.length;
const readSession = fieldReader<SessionsTable>(SESSION_FIELDS);
const readUser = fieldReader<UsersTable>(USER_FIELDS, USER_AT);

/** What the session check reads: the session (still live or not), its person and the facts around them. */
interface SessionCheckRow extends Omit<AuthContext, "token"> {
  endedAt: number | null;
}

function decodeSessionCheck(values: RowValues): SessionCheckRow {
  const session = readSession(values);
  return {
    session,
    user: readUser(values),
    mfaEnabled: values[FACTS_AT] === 1,
    activeAccountPolicy: values[FACTS_AT + 1] as string | null,
    pendingEmail: values[FACTS_AT + 2] as string | null,
    endedAt: session.endedAt,
  };
}

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
  /** The new address of an email change waiting for its confirmation link, if any. */
  pendingEmail: string | null;
}

export interface SessionStoreOptions {
  db: Kysely<Database>;
  prepareHot: PrepareHotQuery;
  clock: Clock;
  idleMinutes: number;
  maxHours: number;
  logger?: Pick<FastifyBaseLogger, "warn">;
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
export function createSessionStore({ db, prepareHot, clock, idleMinutes, maxHours, logger }: SessionStoreOptions) {
  const idleMs = idleMinutes * 60_000;
  const maxMs = maxHours * 3_600_000;
  const cuts = createSessionCuts({ db, clock, logger });

  /** Creates a session and returns its cookie token (shown once, stored only hashed). */
  async function createSession(executor: Executor, input: NewSessionInput): Promise<{ token: string; session: SessionsTable }> {
    const generation = await cuts.lockGeneration(executor, input.userId);
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
      generation,
    };
    await executor.insertInto("sessions").values(session).execute();
    return { token, session };
  }

  const sessionCheck = prepareHot("session_check_v1", SESSION_CHECK_SQL, decodeSessionCheck);

  /**
   * The per-request check: one indexed lookup by token hash (joined with the user, whether MFA is
   * on, the active account's policy and a pending email change). Ends expired sessions lazily.
   * Returns undefined for anything not valid now.
   */
  async function validateSessionToken(token: string): Promise<AuthContext | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const now = clock.now();
    const [row] = await sessionCheck([now, hashToken(token)]);
    if (!row || row.endedAt !== null) return undefined;
    const { session } = row;
    // Ended by a cut (all the person's sessions at once), not yet marked: session-cuts.ts settles it.
    if (session.generation !== row.user.sessionGeneration) return undefined;
    if (now >= session.expiresAt || now - session.lastSeenAt >= idleMs) {
      await endSession(db, session.id, "expired", Math.min(session.expiresAt, session.lastSeenAt + idleMs));
      return undefined;
    }
    if (now - session.lastSeenAt >= LAST_SEEN_WRITE_INTERVAL_MS) {
      await db
        .updateTable("sessions")
        .set({ lastSeenAt: now })
        .where("id", "=", session.id)
        .where("endedAt", "is", null)
        .execute();
      session.lastSeenAt = now;
    }
    return {
      session,
      user: row.user,
      mfaEnabled: row.mfaEnabled,
      token,
      activeAccountPolicy: row.activeAccountPolicy,
      pendingEmail: row.pendingEmail,
    };
  }

  /**
   * Why a token that no longer opens a session stopped working, when its session ended (the
   * device is told on its next request); undefined for a token that never opened one. Only runs
   * for a token {@link validateSessionToken} refused, so it costs nothing on valid requests.
   */
  async function endReasonOf(token: string): Promise<EndReason | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const [row] = await sessionCheck([clock.now(), hashToken(token)]);
    if (!row) return undefined;
    const reason = row.endedAt !== null ? row.session.endReason : row.user.unsettledCutReason;
    if (row.endedAt === null && row.session.generation === row.user.sessionGeneration) return undefined;
    return END_REASONS.find((known) => known === reason) ?? "revoked";
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

  /**
   * Ends every live session of a person but the one kept (if any), in the caller's transaction,
   * as one cut (session-cuts.ts): they stop working at commit. Returns how many ended. Their rows
   * are marked ended in the background once the caller's transaction has committed.
   */
  async function endUserSessions(
    executor: Executor,
    userId: string,
    reason: EndReason,
    exceptSessionId?: string,
  ): Promise<number> {
    const ended = await cuts.cut(executor, userId, reason, exceptSessionId);
    if (ended > 0) void cuts.settleSoon(userId);
    return ended;
  }

  /** Marks the sessions of the person's pending cut as ended now (readers of their sessions call it first). */
  function settleSessionsOf(userId: string): Promise<number> {
    return cuts.settle(db, userId);
  }

  return {
    createSession,
    validateSessionToken,
    endReasonOf,
    rotateSession,
    endSession,
    endUserSessions,
    settleSessionsOf,
    settlePendingCuts: cuts.settlePending,
    metrics: cuts.metrics,
    whenSettled: cuts.idle,
    idleMs,
    maxMs,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
