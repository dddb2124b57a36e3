import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { SESSION_ROW_FIELDS, type SessionRow } from "./session-row.js";

export type { SessionRow };

/** Every column but `token_hash` (selected by name so the hash cannot leak by accident). */
const COLUMNS = SESSION_ROW_FIELDS;

/** When a live session stops being valid: at expiry, or after `idleMs` without a request. */
export interface Liveness {
  now: number;
  idleMs: number;
}

/** True while a session can still be used (the session engine's rule: before expiry, and not idle). */
export function isLive(row: Pick<SessionRow, "endedAt" | "expiresAt" | "lastSeenAt">, live: Liveness): boolean {
  return row.endedAt === null && live.now < row.expiresAt && live.now - row.lastSeenAt < live.idleMs;
}

/** Kysely queries of the Sessions feature. */
export function createSessionsRepo(db: Kysely<Database>) {
  /** The session with this id, if it belongs to the person (any state). */
  async function findOwned(executor: Kysely<Database>, userId: string, sessionId: string): Promise<SessionRow | undefined> {
    return executor
      .selectFrom("sessions")
      .select(COLUMNS)
      .where("id", "=", sessionId)
      .where("userId", "=", userId)
      .executeTakeFirst();
  }

  /**
   * The person's newest live sessions (`sessions_user_live_idx`, read in order). Selecting them
   * all and filtering in code keeps PostgreSQL on the index: with an expiry filter and a LIMIT it
   * may guess a sequential scan finds matches sooner, when a person has a long history.
   */
  function liveOfQuery(userId: string, limit: number) {
    return db
      .selectFrom("sessions")
      .select(["id", "endedAt", "expiresAt", "lastSeenAt"])
      .where("userId", "=", userId)
      .where("endedAt", "is", null)
      .orderBy("createdAt", "desc")
      .orderBy("id", "desc")
      .limit(limit);
  }

  /** Anyone's live sessions past their absolute expiry (`sessions_live_expires_idx`, a range). */
  function expiredQuery(now: number, limit: number) {
    return db.selectFrom("sessions").select("id").where("endedAt", "is", null).where("expiresAt", "<=", now).limit(limit);
  }

  /** Anyone's live sessions without a request for `idleMs` (`sessions_live_last_seen_idx`, a range). */
  function idleQuery(live: Liveness, limit: number) {
    return db
      .selectFrom("sessions")
      .select("id")
      .where("endedAt", "is", null)
      .where("lastSeenAt", "<=", live.now - live.idleMs)
      .limit(limit);
  }

  /** Ends these live sessions as `expired`, at the moment each stopped being valid (expiry or idle). */
  async function endAsExpired(ids: string[], idleMs: number): Promise<number> {
    if (ids.length === 0) return 0;
    const idleEnd = sql<number>`last_seen_at + ${idleMs}`;
    const result = await db
      .updateTable("sessions")
      .set({ endedAt: sql<number>`case when expires_at < ${idleEnd} then expires_at else ${idleEnd} end`, endReason: "expired" })
      .where("id", "in", ids)
      .where("endedAt", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Marks the person's stale live sessions (past expiry or idle) as ended `expired`, as the
   * session engine does lazily on their next request, so the history shows them at once.
   * Looks at the newest `limit` live ones; older stragglers are left to the pruning job.
   */
  async function endStaleSessionsOf(userId: string, live: Liveness, limit: number): Promise<number> {
    const rows = await liveOfQuery(userId, limit).execute();
    return endAsExpired(
      rows.filter((row) => !isLive(row, live)).map((row) => row.id),
      live.idleMs,
    );
  }

  /** One batch of everyone's sessions past expiry, then idle ones, marked `expired` (pruning job). */
  async function endExpiredSessions(live: Liveness, limit: number): Promise<number> {
    const expired = (await expiredQuery(live.now, limit).execute()).map((r) => r.id);
    const idle = expired.length < limit ? (await idleQuery(live, limit - expired.length).execute()).map((r) => r.id) : [];
    return endAsExpired([...new Set([...expired, ...idle])], live.idleMs);
  }

  return {
    liveOfQuery,
    expiredQuery,
    idleQuery,
    findOwned,
    endStaleSessionsOf,
    endExpiredSessions,
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
