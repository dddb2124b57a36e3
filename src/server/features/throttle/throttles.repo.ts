import { defineRepo } from "../../db/repo.js";
import type { Executor, ThrottlesTable } from "../../db/schema.js";

/** A throttle key's counters, as stored. */
export type ThrottleCounters = Omit<ThrottlesTable, "key">;

/** The `throttles` table: failure counters per key (an account, an IP, a person's code step). */
function throttlesStatements(ex: Executor) {
  return {
    /** The rows of these keys (a key never failed has none). */
    findMany(keys: string[]): Promise<ThrottlesTable[]> {
      return ex.selectFrom("throttles").selectAll().where("key", "in", keys).execute();
    },

    find(key: string): Promise<ThrottlesTable | undefined> {
      return ex.selectFrom("throttles").selectAll().where("key", "=", key).executeTakeFirst();
    },

    /** Stores a key's counters, inserting its row the first time. */
    async save(key: string, counters: ThrottleCounters): Promise<void> {
      await ex
        .insertInto("throttles")
        .values({ key, ...counters })
        .onConflict((oc) => oc.column("key").doUpdateSet(counters))
        .execute();
    },

    /** Forgets these keys (a success, or the erased person's own keys). */
    async deleteKeys(keys: string[]): Promise<void> {
      if (keys.length > 0) await ex.deleteFrom("throttles").where("key", "in", keys).execute();
    },

    /** Rows untouched since `cutoff`, not locked now and below `ceiling` consecutive failures, up to `limit` per call. */
    async deleteIdle(cutoff: number, now: number, ceiling: number, limit: number): Promise<number> {
      const batch = ex
        .selectFrom("throttles")
        .select("key")
        .where("updatedAt", "<", cutoff)
        .where("lockedUntil", "<=", now)
        .where("consecutiveFailures", "<", ceiling)
        .limit(limit);
      const result = await ex.deleteFrom("throttles").where("key", "in", batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export const createThrottlesRepo = defineRepo(throttlesStatements);
export type ThrottlesRepo = ReturnType<typeof createThrottlesRepo>;
