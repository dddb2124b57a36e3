import { setImmediate as nextTurn } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { EndReason } from "../../../contracts/sessions.js";
import type { Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { SampledMetric } from "../../http/metrics.js";
import type { UsersRepo } from "../users/users.repo.js";
import { SETTLE_BATCH, type SessionsRepo } from "./sessions.repo.js";
import { createKeyedSerializer } from "../../lib/keyed-serializer.js";

/*
 * Ending all of a person's sessions at once ("sign out everywhere else", a password change or
 * reset, turning MFA on or off, deletion) is a cut: one write to the person's row, whatever the
 * number of sessions, so the answer does not wait for a write per session and its index entries
 * (docs/design/session-cuts.md).
 *
 * - `users.session_generation` goes up; a session is valid only while its `generation` equals
 *   its person's, which the session check reads in the row it already joins. The session kept
 *   (the one asking) moves to the new generation. The cut is seen by every node on its next
 *   request, as a row update was.
 * - The sessions left behind are marked ended afterwards (settled), with the cut's time and
 *   reason, in batches: at once in the background on this node, by a sweep on any node (after a
 *   crash), and first thing by every reader of a person's sessions (the Sessions pages, revoking
 *   one), so nothing ever shows a cut session as live.
 * - A new session takes its person's generation under a lock of the person's row, so a sign-in
 *   racing a cut on PostgreSQL is either cut with the others or made after it, never lost.
 */

/**
 * After a person's settling fails, the sweep leaves them for this long before it tries again,
 * doubling per failure in a row up to {@link SETTLE_RETRY_MAX_MS}, so people whose settling keeps
 * failing do not hold the oldest places of every sweep while everyone behind them waits.
 */
export const SETTLE_RETRY_MS = 10_000;
export const SETTLE_RETRY_MAX_MS = 10 * 60_000;
/** People whose failures this node remembers at most (the longest-remembered is dropped first). */
const MAX_FAILING_REMEMBERED = 1000;

export interface SessionCutsDeps {
  sessions: SessionsRepo;
  users: UsersRepo;
  clock: Clock;
  logger?: Pick<FastifyBaseLogger, "warn"> | undefined;
}

export function createSessionCuts({ sessions, users, clock, logger }: SessionCutsDeps) {
  /** People whose settling failed on this node: failures in a row, and when the sweep may try again. */
  const failing = new Map<string, { failures: number; retryAt: number }>();
  let failuresTotal = 0;

  /** The person's current generation, with their row locked until the caller's transaction ends. */
  function lockGeneration(executor: Executor, userId: string): Promise<number> {
    return users.in(executor).lockSessionGeneration(userId);
  }

  /**
   * Marks the sessions an earlier cut left behind as ended (its time and reason), `SETTLE_BATCH`
   * per statement, and clears the person's pending cut once none is left. `pause` runs between
   * batches (the background lets requests through). Returns how many rows it marked.
   */
  async function settle(userId: string, options: { executor?: Executor; pause?: () => Promise<unknown> } = {}): Promise<number> {
    const people = options.executor ? users.in(options.executor) : users;
    const rows = options.executor ? sessions.in(options.executor) : sessions;
    let total = 0;
    for (;;) {
      const cut = await people.findPendingCut(userId);
      if (!cut || cut.unsettledCutAt === null) {
        failing.delete(userId);
        return total;
      }
      const marked = await rows.settleBatch(userId, { ...cut, unsettledCutAt: cut.unsettledCutAt });
      total += marked;
      if (marked < SETTLE_BATCH) {
        // Cleared only if no newer cut came meanwhile (that one settled this one first, and owns the marker now).
        await people.clearPendingCut(userId, cut.sessionGeneration);
        failing.delete(userId);
        return total;
      }
      if (options.pause) await options.pause();
    }
  }

  /**
   * Ends every live session of the person but the one kept (if any), in the caller's transaction;
   * returns how many ended. With the person's row locked, an earlier cut still settling is
   * settled first, so its rows keep its own time and reason.
   */
  async function cut(executor: Executor, userId: string, reason: EndReason, keepSessionId?: string): Promise<number> {
    const generation = await lockGeneration(executor, userId);
    await settle(userId, { executor });
    const ending = await sessions.in(executor).countLive(userId, keepSessionId);
    if (ending === 0) return 0;
    await users.in(executor).recordCut(userId, { generation: generation + 1, at: clock.now(), reason });
    if (keepSessionId) await sessions.in(executor).setGeneration(keepSessionId, userId, generation + 1);
    return ending;
  }

  /** Settling under way in the background on this node, one run at a time per person. */
  const running = createKeyedSerializer();

  /** Counts and logs a failed settling, and sets when the sweep may try the person again. */
  function recordFailure(userId: string, error: unknown): void {
    const before = failing.get(userId);
    failing.delete(userId); // re-inserted last: the map stays in order of the latest failure
    failuresTotal++;
    const failures = (before?.failures ?? 0) + 1;
    const waitMs = Math.min(SETTLE_RETRY_MS * 2 ** (failures - 1), SETTLE_RETRY_MAX_MS);
    failing.set(userId, { failures, retryAt: clock.now() + waitMs });
    if (failing.size > MAX_FAILING_REMEMBERED) failing.delete(failing.keys().next().value!);
    logger?.warn(
      { err: error instanceof Error ? error.message : String(error), userId, failures, retryInSeconds: waitMs / 1000 },
      "settling ended sessions failed; the sweep retries",
    );
  }

  /**
   * Settles the person's pending cut in the background, after any settling already running for
   * them. It may be called inside the cutting transaction: it first waits for that transaction to
   * end (PostgreSQL: the cut holds the person's row lock; SQLite: the transaction holds the one
   * connection), so it reads the cut once committed, and nothing if it was rolled back.
   * Resolves to false when it failed (logged; the sweep retries).
   */
  function settleSoon(userId: string): Promise<boolean> {
    return running.run(userId, async () => {
      try {
        await users.lockSessionGeneration(userId);
        await settle(userId, { pause: nextTurn });
        return true; // settle() forgets the person's failures once nothing is pending
      } catch (error) {
        recordFailure(userId, error);
        return false;
      }
    });
  }

  /**
   * Settles pending cuts, oldest first, up to `limit` people per call, passing over the people
   * whose settling failed until their retry time; returns how many people it settled. A failed one
   * does not count, so a caller repeating while a call comes back full (the pruning job's `drain`)
   * stops instead of retrying the same people forever.
   */
  async function settlePending(limit = 100): Promise<number> {
    const now = clock.now();
    const waiting = new Set([...failing].filter(([, f]) => f.retryAt > now).map(([id]) => id));
    const people = await users.pendingCutsQuery(limit + waiting.size).execute();
    if (people.length < limit + waiting.size) {
      // Every pending person is in hand: forget failures of people settled elsewhere since.
      const pending = new Set(people.map((p) => p.id));
      for (const id of failing.keys()) if (!pending.has(id)) failing.delete(id);
    }
    let tried = 0;
    let settled = 0;
    for (const { id } of people) {
      if (waiting.has(id)) continue;
      if (tried++ === limit) break;
      if (await settleSoon(id)) settled++;
    }
    return settled;
  }

  /** For monitoring: settling failures since start, and the people whose settling failed last time. */
  function failureStats(): { failuresTotal: number; failingPeople: number } {
    return { failuresTotal, failingPeople: failing.size };
  }

  /** The figures an operator alerts on when settling keeps failing on this node (`/metrics`). */
  const metrics: SampledMetric[] = [
    {
      name: "session_cut_settle_failures_total",
      help: "Times this node failed to mark a cut's sessions ended (the sweep retries; alert when it grows)",
      type: "counter",
      read: () => failuresTotal,
    },
    {
      name: "session_cut_failing_people",
      help: "People whose sessions this node last failed to mark ended after a cut",
      type: "gauge",
      read: () => failing.size,
    },
  ];

  /** Resolves once no background settling runs on this node (shutdown, tests). */
  function idle(): Promise<void> {
    return running.idle();
  }

  return { lockGeneration, cut, settle, settleSoon, settlePending, failureStats, metrics, idle };
}

export type SessionCuts = ReturnType<typeof createSessionCuts>;
