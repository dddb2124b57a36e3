import os from "node:os";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import { newOpaqueId } from "../../lib/ids.js";

/** Extends the lease while a long job is still working; false when the lease was lost. */
export type RenewLease = () => Promise<boolean>;

/**
 * Mutual exclusion of background jobs across nodes sharing one database (`job_locks`): a lock is
 * a row with a lease. A node takes it when it is free or its lease ran out (a crashed node never
 * blocks the job for longer than one lease), renews it between batches and frees it when done.
 */
export function createJobLock({ db, clock }: { db: Kysely<Database>; clock: Clock }) {
  const owner = `${os.hostname()}:${process.pid}:${newOpaqueId()}`;

  /** Takes (or renews) the lock for `leaseMs`; true when this node holds it now. */
  async function acquire(name: string, leaseMs: number): Promise<boolean> {
    const now = clock.now();
    const result = await db
      .insertInto("jobLocks")
      .values({ name, lockedUntil: now + leaseMs, owner })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet({ lockedUntil: now + leaseMs, owner })
          .where((eb) => eb.or([eb("jobLocks.lockedUntil", "<=", now), eb("jobLocks.owner", "=", owner)])),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async function release(name: string): Promise<void> {
    await db.updateTable("jobLocks").set({ lockedUntil: 0 }).where("name", "=", name).where("owner", "=", owner).execute();
  }

  /** Runs `work` only if this node gets the lock; resolves to undefined when another node has it. */
  async function runExclusive<T>(name: string, leaseMs: number, work: (renew: RenewLease) => Promise<T>): Promise<T | undefined> {
    if (!(await acquire(name, leaseMs))) return undefined;
    try {
      return await work(() => acquire(name, leaseMs));
    } finally {
      await release(name);
    }
  }

  return { runExclusive, owner };
}

export type JobLock = ReturnType<typeof createJobLock>;
