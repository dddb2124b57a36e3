import { sql, type ExpressionBuilder } from "kysely";
import type { Database, Executor } from "../../db/schema.js";
import type { PendingCut } from "../users/users.repo.js";
import type { SessionRow } from "./session-row.js";

/*
 * The statements that end sessions in bulk, on the `sessions` table: settling a cut (marking the
 * sessions it left behind ended, a batch at a time), marking stale live sessions `expired` (for a
 * person, or the pruning job's walk over everyone's) and deleting old ended ones. Kept apart from
 * sessions.repo.ts, which spreads them into the same repository (`createSessionsRepo(db)` and its
 * `in(trx)`); the query builders are exposed too, for the index tests that read their plans.
 */

/** Rows a cut's settling marks ended per statement (each its own short write). */
export const SETTLE_BATCH = 1000;

/** When a live session stops being valid: at expiry, or after `idleMs` without a request. */
export interface Liveness {
  now: number;
  idleMs: number;
}

/** Where the pruning job's walk over live sessions stands: the last session it read, in index order. */
export interface LiveSessionKey {
  userId: string;
  createdAt: number;
  id: string;
}

/** True while a session can still be used (the session engine's rule: before expiry, and not idle). */
export function isLive(row: Pick<SessionRow, "endedAt" | "expiresAt" | "lastSeenAt">, live: Liveness): boolean {
  return row.endedAt === null && live.now < row.expiresAt && live.now - row.lastSeenAt < live.idleMs;
}

/** `(user_id, created_at, id) <op> key`: where a row stands against a walk key, in `sessions_user_live_idx` order. */
function comparedToWalkKey(op: ">" | "<=", key: LiveSessionKey) {
  return (eb: ExpressionBuilder<Database, "sessions">) =>
    eb(eb.refTuple("userId", "createdAt", "id"), op, eb.tuple(key.userId, key.createdAt, key.id));
}

/** The expiry, cut-settling and pruning statements, run by `ex`. */
export function sessionExpiryStatements(ex: Executor) {
  /** An update marking sessions `expired`, at the moment each stopped being valid (expiry or idle). */
  function endAsExpiredQuery(idleMs: number) {
    const idleEnd = sql<number>`last_seen_at + ${idleMs}`;
    return ex
      .updateTable("sessions")
      .set({ endedAt: sql<number>`case when expires_at < ${idleEnd} then expires_at else ${idleEnd} end`, endReason: "expired" });
  }

  /** Ends these live sessions as `expired`. */
  async function endAsExpired(ids: string[], idleMs: number): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await endAsExpiredQuery(idleMs).where("id", "in", ids).where("endedAt", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * The person's newest live sessions (`sessions_user_live_idx`, read in order). Selecting them
   * all and filtering in code keeps PostgreSQL on the index: with an expiry filter and a LIMIT it
   * may guess a sequential scan finds matches sooner, when a person has a long history.
   */
  function liveOfQuery(userId: string, limit: number) {
    return ex
      .selectFrom("sessions")
      .select(["id", "endedAt", "expiresAt", "lastSeenAt"])
      .where("userId", "=", userId)
      .where("endedAt", "is", null)
      .orderBy("createdAt", "desc")
      .orderBy("id", "desc")
      .limit(limit);
  }

  /**
   * The pruning job's walk over everyone's live sessions, in `sessions_user_live_idx` order: the
   * key of the `skip + 1`-th live session after `after`, read from the index alone (the skip
   * stays within one batch, so it is bounded).
   */
  function liveWalkBoundQuery(after: LiveSessionKey | undefined, skip: number) {
    let query = ex.selectFrom("sessions").select(["userId", "createdAt", "id"]).where("endedAt", "is", null);
    if (after) query = query.where(comparedToWalkKey(">", after));
    return query.orderBy("userId").orderBy("createdAt").orderBy("id").limit(1).offset(skip);
  }

  /** Marks the stale ones (past expiry or idle) of the live sessions after `after` and up to `upTo` (inclusive) `expired`. */
  function endStaleInRangeQuery(live: Liveness, after: LiveSessionKey | undefined, upTo: LiveSessionKey | undefined) {
    let query = endAsExpiredQuery(live.idleMs)
      .where("endedAt", "is", null)
      .where((eb) => eb.or([eb("expiresAt", "<=", live.now), eb("lastSeenAt", "<=", live.now - live.idleMs)]));
    if (after) query = query.where(comparedToWalkKey(">", after));
    if (upTo) query = query.where(comparedToWalkKey("<=", upTo));
    return query;
  }

  /** The next batch of a cut's sessions to mark: the person's live ones of an older generation (`sessions_user_live_idx`). */
  function unsettledBatchQuery(userId: string, generation: number) {
    return ex
      .selectFrom("sessions")
      .select("id")
      .where("userId", "=", userId)
      .where("endedAt", "is", null)
      .where("generation", "<", generation)
      .limit(SETTLE_BATCH);
  }

  /** Marks the next batch of a cut's sessions ended, with the cut's time and reason. */
  function settleBatchQuery(userId: string, cut: PendingCut & { unsettledCutAt: number }) {
    return ex
      .updateTable("sessions")
      .set({ endedAt: cut.unsettledCutAt, endReason: cut.unsettledCutReason ?? "revoked" })
      .where("id", "in", unsettledBatchQuery(userId, cut.sessionGeneration))
      .where("endedAt", "is", null);
  }

  /** Ended sessions whose end is before `cutoff` (`sessions_ended_at_idx`), up to `limit`. */
  function endedBeforeQuery(cutoff: number, limit: number) {
    return ex.selectFrom("sessions").select("id").where("endedAt", "<", cutoff).limit(limit);
  }

  return {
    unsettledBatchQuery,
    settleBatchQuery,

    /** Marks the next batch (at most {@link SETTLE_BATCH}) of a cut's sessions ended; returns how many. */
    async settleBatch(userId: string, cut: PendingCut & { unsettledCutAt: number }): Promise<number> {
      return Number((await settleBatchQuery(userId, cut).executeTakeFirst()).numUpdatedRows);
    },

    liveOfQuery,
    liveWalkBoundQuery,
    endStaleInRangeQuery,

    /**
     * Marks the person's stale live sessions (past expiry or idle) as ended `expired`, as the
     * session engine does lazily on their next request, so the history shows them at once.
     * Looks at the newest `limit` live ones; older stragglers are left to the pruning job.
     */
    async endStaleSessionsOf(userId: string, live: Liveness, limit: number): Promise<number> {
      const rows = await liveOfQuery(userId, limit).execute();
      return endAsExpired(
        rows.filter((row) => !isLive(row, live)).map((row) => row.id),
        live.idleMs,
      );
    },

    /**
     * One step of the pruning job's walk over everyone's live sessions: the next `limit` of them
     * after `after`, whose stale ones SQL marks `expired` in place (no row reaches JavaScript).
     * `last` is where the next step starts; undefined once the walk is done.
     */
    async endStaleSessionsAfter(
      live: Liveness,
      after: LiveSessionKey | undefined,
      limit: number,
    ): Promise<{ ended: number; last: LiveSessionKey | undefined }> {
      const last = await liveWalkBoundQuery(after, limit - 1).executeTakeFirst();
      const result = await endStaleInRangeQuery(live, after, last).executeTakeFirst();
      return { ended: Number(result.numUpdatedRows), last };
    },

    endedBeforeQuery,

    /** Deletes sessions ended before `cutoff`, up to `limit` per call (an indexed `id IN (SELECT … LIMIT n)`). */
    async deleteEndedBefore(cutoff: number, limit: number): Promise<number> {
      const result = await ex.deleteFrom("sessions").where("id", "in", endedBeforeQuery(cutoff, limit)).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
