import { sql, type RawBuilder } from "kysely";
import { defineRepo } from "../../db/repo.js";
import type { Executor } from "../../db/schema.js";

/** What the reservation statement needs of a key's policy (the throttle's `ThrottlePolicy`). */
export interface ReservablePolicy {
  threshold: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
  exponential: boolean;
  ceiling?: number;
}

/** A key as the reservation left it; `lastAttempt` is the attempt's id only where the key admitted it. */
export interface ReservedKey {
  key: string;
  failures: number;
  consecutiveFailures: number;
  lockedUntil: number;
  lastAttempt: string | null;
}

/** The lock (ms) a failure `over` the threshold earns: doubling from the base when exponential, capped. */
export function lockMsFor(policy: ReservablePolicy, over: number): number {
  const ms = policy.exponential ? policy.baseLockMs * 2 ** Math.min(over, 20) : policy.baseLockMs;
  return Math.min(ms, policy.maxLockMs);
}

const lit = (n: number) => sql.lit(Math.trunc(n));

/** `lockMsFor(policy, over)` as SQL: one CASE arm per doubling below the cap (a few), then the cap. */
function lockMsSql(policy: ReservablePolicy, over: RawBuilder<number>): RawBuilder<number> {
  const arms: RawBuilder<unknown>[] = [];
  for (let i = 0; i <= 20 && lockMsFor(policy, i) < policy.maxLockMs; i++)
    arms.push(sql`WHEN ${lit(i)} THEN ${lit(lockMsFor(policy, i))}`);
  if (arms.length === 0) return lit(lockMsFor(policy, 0));
  return sql<number>`(CASE ${over} ${sql.join(arms, sql` `)} ELSE ${lit(policy.maxLockMs)} END)`;
}

/** The SET expression of one column: a CASE over the keys, each arm with its own policy. */
function perKey(
  keys: Array<{ key: string; policy: ReservablePolicy }>,
  build: (policy: ReservablePolicy) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`CASE throttles.key ${sql.join(
    keys.map(({ key, policy }) => sql`WHEN CAST(${key} AS TEXT) THEN ${build(policy)}`),
    sql` `,
  )} END`;
}

/** The `throttles` table: failure counters per key (an account, an IP, a person's code step). */
function throttlesStatements(ex: Executor) {
  return {
    /**
     * Counts an attempt on every key that is open (not locked, below its ceiling), in ONE
     * statement, before the attempt is checked: parallel attempts, on one node or several, each
     * see the count of those before them, so no more than the policy allows get through. A key
     * that reaches its threshold is locked at once (the attempt is presumed to fail; a success
     * gives it back, see `settleAttempt`). A locked key is left as it is, and its row comes back
     * without the attempt's id: that is how the caller learns it refused.
     */
    async reserveAttempt(
      keys: Array<{ key: string; policy: ReservablePolicy }>,
      now: number,
      attempt: string,
    ): Promise<ReservedKey[]> {
      if (keys.length === 0) return [];
      const at = sql<number>`CAST(${now} AS BIGINT)`;
      const id = sql<string>`CAST(${attempt} AS TEXT)`;
      const refused = (p: ReservablePolicy) =>
        p.ceiling === undefined
          ? sql<boolean>`(throttles.locked_until > ${at})`
          : sql<boolean>`(throttles.locked_until > ${at} OR throttles.consecutive_failures >= ${lit(p.ceiling)})`;
      const inWindow = (p: ReservablePolicy) => sql<boolean>`(${at} - throttles.window_started_at < ${lit(p.windowMs)})`;
      const failures = (p: ReservablePolicy) => sql<number>`(CASE WHEN ${inWindow(p)} THEN throttles.failures + 1 ELSE 1 END)`;
      const rows = keys.map(({ key, policy }) => {
        const lock = 1 >= policy.threshold ? now + lockMsFor(policy, 1 - policy.threshold) : 0;
        return sql`(CAST(${key} AS TEXT), 1, 1, ${at}, CAST(${lock} AS BIGINT), ${at}, ${id})`;
      });
      // While any key refuses, keys never seen get no row: a flood of fresh keys (new emails from
      // a locked address) then writes nothing. Known keys always take the upsert below.
      const refusing = sql.join(
        keys.map(({ key, policy }) => {
          const ceiling = policy.ceiling === undefined ? sql`` : sql` OR b.consecutive_failures >= ${lit(policy.ceiling)}`;
          return sql`(b.key = CAST(${key} AS TEXT) AND (b.locked_until > ${at}${ceiling}))`;
        }),
        sql` OR `,
      );
      const result = await sql<ReservedKey>`
        INSERT INTO throttles (key, failures, consecutive_failures, window_started_at, locked_until, updated_at, last_attempt)
        SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7
        FROM (VALUES ${sql.join(rows)}) AS v
        WHERE EXISTS (SELECT 1 FROM throttles e WHERE e.key = v.column1)
          OR NOT EXISTS (SELECT 1 FROM throttles b WHERE ${refusing})
        ON CONFLICT (key) DO UPDATE SET
          failures = ${perKey(keys, (p) => sql`CASE WHEN ${refused(p)} THEN throttles.failures ELSE ${failures(p)} END`)},
          consecutive_failures = ${perKey(
            keys,
            (p) => sql`CASE WHEN ${refused(p)} THEN throttles.consecutive_failures ELSE throttles.consecutive_failures + 1 END`,
          )},
          window_started_at = ${perKey(
            keys,
            (p) => sql`CASE WHEN ${refused(p)} OR ${inWindow(p)} THEN throttles.window_started_at ELSE ${at} END`,
          )},
          locked_until = ${perKey(
            keys,
            (p) => sql`CASE WHEN ${refused(p)} THEN throttles.locked_until
              WHEN ${failures(p)} >= ${lit(p.threshold)} THEN ${at} + ${lockMsSql(p, sql<number>`(${failures(p)} - ${lit(p.threshold)})`)}
              ELSE throttles.locked_until END`,
          )},
          updated_at = ${perKey(keys, (p) => sql`CASE WHEN ${refused(p)} THEN throttles.updated_at ELSE ${at} END`)},
          last_attempt = ${perKey(keys, (p) => sql`CASE WHEN ${refused(p)} THEN throttles.last_attempt ELSE ${id} END`)}
        RETURNING key AS "key", failures AS "failures", consecutive_failures AS "consecutiveFailures",
          locked_until AS "lockedUntil", last_attempt AS "lastAttempt"`.execute(ex);
      return result.rows.map((row) => ({
        key: row.key,
        failures: Number(row.failures),
        consecutiveFailures: Number(row.consecutiveFailures),
        lockedUntil: Number(row.lockedUntil),
        lastAttempt: row.lastAttempt,
      }));
    },

    /**
     * Settles reserved attempts in one statement: the `clear` keys start afresh (a success on
     * the account), the `refund` keys give back the one attempt counted on them (a success is not
     * a failure, from the client address either), lifting a lock that count no longer reaches.
     */
    async settleAttempt(clear: string[], refund: Array<{ key: string; policy: ReservablePolicy }>, now: number): Promise<void> {
      const all = [...clear, ...refund.map((k) => k.key)];
      if (all.length === 0) return;
      const cleared = clear.length > 0 ? sql<boolean>`throttles.key IN (${sql.join(clear)})` : sql<boolean>`1 = 0`;
      const lift = refund.length > 0 ? perKey(refund, (p) => sql`throttles.failures - 1 < ${lit(p.threshold)}`) : sql`1 = 0`;
      await sql`
        UPDATE throttles SET
          failures = CASE WHEN ${cleared} THEN 0 WHEN throttles.failures > 0 THEN throttles.failures - 1 ELSE 0 END,
          consecutive_failures = CASE WHEN ${cleared} THEN 0
            WHEN throttles.consecutive_failures > 0 THEN throttles.consecutive_failures - 1 ELSE 0 END,
          locked_until = CASE WHEN ${cleared} OR (${lift}) THEN 0 ELSE throttles.locked_until END,
          updated_at = CAST(${now} AS BIGINT)
        WHERE throttles.key IN (${sql.join(all)})`.execute(ex);
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
