import { sql, type Kysely } from "kysely";

/*
 * Every index that holds only live sessions (`WHERE ended_at IS NULL`) loses an entry whenever a
 * session ends: a sign-out, a revocation, "sign out everywhere else" for many sessions at once.
 * Two of them served only the hourly pruning job, to find live sessions past their expiry
 * (`sessions_live_expires_idx`) or idle (`sessions_live_last_seen_idx`); they cost every ended
 * session two B-tree deletes, and every `last_seen_at` refresh a move.
 *
 * The job now walks the live sessions through `sessions_user_live_idx`, which the Sessions page
 * needs anyway, in keyset batches of 1,000: the batch's last key comes from the index alone, then
 * one UPDATE marks the batch's stale sessions `expired` by the session engine's rule, in SQL. It
 * reads every live session once an hour instead of an index range, in short batches with the
 * event loop free between them, and spares every ended session two index deletes. It is as
 * complete as before, with no state: nothing depends on where an earlier run stopped, on clocks,
 * or on the idle setting at the time.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("sessions_live_last_seen_idx").ifExists().execute();
  await db.schema.dropIndex("sessions_live_expires_idx").ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex("sessions_live_last_seen_idx")
    .on("sessions")
    .column("last_seen_at")
    .where(sql.ref("ended_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("sessions_live_expires_idx")
    .on("sessions")
    .column("expires_at")
    .where(sql.ref("ended_at"), "is", null)
    .execute();
}
