import { setImmediate as nextTurn } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../../lib/clock.js";
import type { JobLock, RenewLease } from "../jobs/job-lock.js";
import type { SecurityEventsRepo } from "../activity/security-events.repo.js";
import type { MailOutboxRepo } from "../mail/mail-outbox.repo.js";
import type { ThrottlesRepo } from "../throttle/throttles.repo.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { LiveSessionKey, SessionsRepo } from "./sessions.repo.js";
import type { SessionStore } from "./session-store.js";

const DAY_MS = 24 * 3_600_000;
/** Used or expired single-use tokens stay a day, so a replay is still recognised as one. */
export const TOKEN_GRACE_MS = DAY_MS;
/**
 * Throttle rows idle this long are forgotten, unless they reached the NIST ceiling of
 * consecutive failures (those wait for the factor's recovery, which clears them).
 */
export const THROTTLE_RETENTION_MS = 30 * DAY_MS;
export const THROTTLE_CEILING = 100;
/** Sent (bodies already erased) and failed mail rows are kept this long for support. */
export const MAIL_RETENTION_MS = 30 * DAY_MS;

/** How many rows each pruning step removed. */
export interface PruneReport {
  /** People whose pending cut was settled (session-cuts.ts) before the walk. */
  cutsSettled: number;
  sessionsExpired: number;
  sessionsDeleted: number;
  tokensDeleted: number;
  throttlesDeleted: number;
  mailsDeleted: number;
  /** Security events past EVENTS_RETENTION_DAYS. */
  eventsDeleted: number;
}

export interface HistoryPrunerDeps {
  sessions: Pick<SessionStore, "settlePendingCuts">;
  /** The tables it prunes, each through its own repository. */
  sessionRows: SessionsRepo;
  tokens: OneTimeTokensRepo;
  throttles: ThrottlesRepo;
  mailOutbox: MailOutboxRepo;
  securityEvents: SecurityEventsRepo;
  clock: Clock;
  jobLock: JobLock;
  logger: FastifyBaseLogger;
  /** SESSION_HISTORY_DAYS. */
  historyDays: number;
  /** EVENTS_RETENTION_DAYS. */
  eventsRetentionDays: number;
  idleMs: number;
}

export const PRUNE_JOB = "history-prune";
const LEASE_MS = 10 * 60_000;

/**
 * Keeps the history bounded: marks stale sessions `expired`, then deletes what is past its
 * retention, in batches (short transactions, no long table locks), each step until done.
 * `pruneOnce` is the work (tests call it with a fake clock); `runJob` adds the cross-node lock.
 */
export function createHistoryPruner(deps: HistoryPrunerDeps) {
  const { clock, jobLock, logger, sessionRows, tokens, throttles, mailOutbox } = deps;

  /**
   * Runs one batched step until it says it is done (or the lease is lost); returns the rows it
   * changed. Between batches it lets the event loop serve requests: SQLite's batches run
   * synchronously.
   */
  async function inBatches(step: () => Promise<{ count: number; done: boolean }>, renew?: RenewLease): Promise<number> {
    let total = 0;
    for (;;) {
      const { count, done } = await step();
      total += count;
      if (done || (renew && !(await renew()))) return total;
      await nextTurn();
    }
  }

  /** A delete step of at most `batchSize` rows per batch, done when a batch comes back short. */
  function drain(step: (limit: number) => Promise<number>, batchSize: number, renew?: RenewLease): Promise<number> {
    return inBatches(async () => {
      const count = await step(batchSize);
      return { count, done: count < batchSize };
    }, renew);
  }

  /** Walks every live session once, `batchSize` at a time, marking the stale ones `expired`. */
  function endStaleSessions(now: number, batchSize: number, renew?: RenewLease): Promise<number> {
    let after: LiveSessionKey | undefined;
    return inBatches(async () => {
      const batch = await sessionRows.endStaleSessionsAfter({ now, idleMs: deps.idleMs }, after, batchSize);
      after = batch.last;
      return { count: batch.ended, done: !after };
    }, renew);
  }

  /** One pass of every pruning step, as of `clock.now()`. */
  async function pruneOnce(options: { batchSize?: number; renew?: RenewLease } = {}): Promise<PruneReport> {
    const now = clock.now();
    const batchSize = options.batchSize ?? 1000;
    const run = (step: (limit: number) => Promise<number>) => drain(step, batchSize, options.renew);
    const tokenCutoff = now - TOKEN_GRACE_MS;
    return {
      // First, so the walk never marks `expired` a session a cut ended.
      cutsSettled: await run((limit) => deps.sessions.settlePendingCuts(limit)),
      sessionsExpired: await endStaleSessions(now, batchSize, options.renew),
      sessionsDeleted: await run((limit) => sessionRows.deleteEndedBefore(now - deps.historyDays * DAY_MS, limit)),
      tokensDeleted:
        (await run((limit) => tokens.deleteExpiredBefore(tokenCutoff, limit))) +
        (await run((limit) => tokens.deleteUsedBefore(tokenCutoff, limit))),
      throttlesDeleted: await run((limit) => throttles.deleteIdle(now - THROTTLE_RETENTION_MS, now, THROTTLE_CEILING, limit)),
      mailsDeleted: await run((limit) => mailOutbox.deleteFinishedBefore(now - MAIL_RETENTION_MS, limit)),
      eventsDeleted: await run((limit) => deps.securityEvents.deleteOlderThan(now - deps.eventsRetentionDays * DAY_MS, limit)),
    };
  }

  /** The background job: one node at a time (job_locks lease), never throws. */
  async function runJob(): Promise<PruneReport | undefined> {
    try {
      const report = await jobLock.runExclusive(PRUNE_JOB, LEASE_MS, (renew) => pruneOnce({ renew }));
      if (report) logger.info({ job: PRUNE_JOB, ...report }, "history pruned");
      return report;
    } catch (error) {
      logger.warn({ job: PRUNE_JOB, err: (error as Error).message }, "history pruning failed; will retry");
      return undefined;
    }
  }

  return { pruneOnce, runJob };
}

export type HistoryPruner = ReturnType<typeof createHistoryPruner>;
