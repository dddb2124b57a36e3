import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { newOpaqueId } from "../../lib/ids.js";
import { END_REASONS, type EndReason } from "../../../contracts/sessions.js";
import type { Executor, SessionsTable } from "../../db/schema.js";
import type { AuthContext } from "../../request-context.js";
import type { UsersRepo } from "../users/users.repo.js";
import { createSessionCuts } from "./session-cuts.js";
import type { SessionsRepo } from "./sessions.repo.js";

/** A Kysely instance or an open transaction: store calls join the caller's transaction. */
export type { Executor };

/** Last-seen is written at most this often, not on every request. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;
/** A session waiting for the code step lives this long. */
export const MFA_PENDING_TTL_MS = 5 * 60_000;

export interface SessionStoreOptions {
  sessions: SessionsRepo;
  users: UsersRepo;
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
  /** How the sign-in was made (RFC 8176 `amr` values, see SessionsTable.authMethods). */
  methods?: readonly string[];
}

/** `methods` added to the recorded ones (each once, in order), as stored in `sessions.auth_methods`. */
export function mergeAuthMethods(recorded: string, methods: readonly string[]): string {
  const all = recorded.split(" ").filter(Boolean);
  for (const method of methods) if (!all.includes(method)) all.push(method);
  return all.join(" ");
}

/**
 * The session engine: sessions are rows keyed by the SHA-256 of a random cookie token.
 * Validity is decided here on every request, from the database, so a revocation is seen by
 * every node on the very next request (no cache).
 */
export function createSessionStore({ sessions, users, clock, idleMinutes, maxHours, logger }: SessionStoreOptions) {
  const idleMs = idleMinutes * 60_000;
  const maxMs = maxHours * 3_600_000;
  const cuts = createSessionCuts({ sessions, users, clock, logger });

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
      authMethods: mergeAuthMethods("", input.methods ?? []),
    };
    await sessions.in(executor).insert(session);
    return { token, session };
  }

  /**
   * The per-request check: one indexed lookup by token hash (joined with the user, whether MFA is
   * on, the active account's policy and a pending email change). Ends expired sessions lazily.
   * Returns undefined for anything not valid now.
   */
  async function validateSessionToken(token: string): Promise<AuthContext | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const now = clock.now();
    const row = await sessions.findForCheck(hashToken(token), now);
    if (!row || row.session.endedAt !== null) return undefined;
    const { session } = row;
    // Ended by a cut (all the person's sessions at once), not yet marked: session-cuts.ts settles it.
    if (session.generation !== row.user.sessionGeneration) return undefined;
    if (now >= session.expiresAt || now - session.lastSeenAt >= idleMs) {
      await sessions.end(session.id, "expired", Math.min(session.expiresAt, session.lastSeenAt + idleMs));
      return undefined;
    }
    if (now - session.lastSeenAt >= LAST_SEEN_WRITE_INTERVAL_MS) {
      await sessions.touch(session.id, now);
      session.lastSeenAt = now;
    }
    return {
      session,
      user: row.user,
      mfaEnabled: row.mfaEnabled,
      totpEnabled: row.totpEnabled,
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
    const row = await sessions.findForCheck(hashToken(token), clock.now());
    if (!row) return undefined;
    const { endedAt } = row.session;
    const reason = endedAt !== null ? row.session.endReason : row.user.unsettledCutReason;
    if (endedAt === null && row.session.generation === row.user.sessionGeneration) return undefined;
    return END_REASONS.find((known) => known === reason) ?? "revoked";
  }

  /**
   * Gives a session a new token (every authentication step, C2); the old token stops working
   * at once. `changes` records what the step proved; `methods` are added to the session's
   * recorded sign-in methods.
   */
  async function rotateSession(
    executor: Executor,
    sessionId: string,
    changes: { authenticated?: boolean; mfaVerified?: boolean; mfaPending?: boolean; methods?: readonly string[] } = {},
  ): Promise<string> {
    const now = clock.now();
    const token = newToken();
    if (changes.methods?.length) await sessions.in(executor).addAuthMethods(sessionId, changes.methods, mergeAuthMethods);
    await sessions.in(executor).rotate(sessionId, hashToken(token), {
      lastSeenAt: now,
      ...(changes.authenticated ? { authenticatedAt: now } : {}),
      ...(changes.mfaVerified !== undefined ? { mfaVerified: changes.mfaVerified ? 1 : 0 } : {}),
      ...(changes.mfaPending === false ? { mfaPending: 0, expiresAt: now + maxMs } : {}),
    });
    return token;
  }

  /** Ends one session with its reason; a no-op for one already ended. */
  function endSession(executor: Executor, sessionId: string, reason: EndReason, at = clock.now()): Promise<boolean> {
    return sessions.in(executor).end(sessionId, reason, at);
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
    return cuts.settle(userId);
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
