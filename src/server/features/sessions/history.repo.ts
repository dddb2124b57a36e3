import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

const countDeleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

/**
 * Batched deletes of the pruning job. Each removes at most `limit` rows per call through an
 * indexed `id IN (SELECT … LIMIT n)` (both databases), so no statement holds locks for long.
 */
export function createHistoryRepo(db: Kysely<Database>) {
  /** Ended sessions whose end is before `cutoff` (`sessions_ended_at_idx`). */
  function sessionsEndedBeforeQuery(cutoff: number, limit: number) {
    return db.selectFrom("sessions").select("id").where("endedAt", "<", cutoff).limit(limit);
  }

  async function deleteSessionsEndedBefore(cutoff: number, limit: number): Promise<number> {
    const batch = sessionsEndedBeforeQuery(cutoff, limit);
    return countDeleted(await db.deleteFrom("sessions").where("id", "in", batch).executeTakeFirst());
  }

  /** Single-use tokens that expired before `cutoff` (`one_time_tokens_expires_idx`). */
  async function deleteTokensExpiredBefore(cutoff: number, limit: number): Promise<number> {
    const batch = db.selectFrom("oneTimeTokens").select("id").where("expiresAt", "<", cutoff).limit(limit);
    return countDeleted(await db.deleteFrom("oneTimeTokens").where("id", "in", batch).executeTakeFirst());
  }

  /** Single-use tokens used before `cutoff` (`one_time_tokens_used_idx`). */
  async function deleteTokensUsedBefore(cutoff: number, limit: number): Promise<number> {
    const batch = db.selectFrom("oneTimeTokens").select("id").where("usedAt", "<", cutoff).limit(limit);
    return countDeleted(await db.deleteFrom("oneTimeTokens").where("id", "in", batch).executeTakeFirst());
  }

  /** Throttle rows untouched since `cutoff`, not locked now and below `ceiling` consecutive failures. */
  async function deleteIdleThrottles(cutoff: number, now: number, ceiling: number, limit: number): Promise<number> {
    const batch = db
      .selectFrom("throttles")
      .select("key")
      .where("updatedAt", "<", cutoff)
      .where("lockedUntil", "<=", now)
      .where("consecutiveFailures", "<", ceiling)
      .limit(limit);
    return countDeleted(await db.deleteFrom("throttles").where("key", "in", batch).executeTakeFirst());
  }

  /** Sent or failed mail rows created before `cutoff` (`mail_outbox_status_created_idx`). */
  async function deleteFinishedMailBefore(cutoff: number, limit: number): Promise<number> {
    const batch = db
      .selectFrom("mailOutbox")
      .select("id")
      .where("status", "in", ["sent", "failed"])
      .where("createdAt", "<", cutoff)
      .limit(limit);
    return countDeleted(await db.deleteFrom("mailOutbox").where("id", "in", batch).executeTakeFirst());
  }

  return {
    sessionsEndedBeforeQuery,
    deleteSessionsEndedBefore,
    deleteTokensExpiredBefore,
    deleteTokensUsedBefore,
    deleteIdleThrottles,
    deleteFinishedMailBefore,
  };
}
