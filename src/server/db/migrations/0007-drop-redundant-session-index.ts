import type { Kysely } from "kysely";

/*
 * `sessions_user_created_idx` (user_id, created_at, id) served the Sessions list before 0006 gave
 * live and ended sessions their own indexes; nothing reads it any more. A person's sessions are
 * still found by user (the foreign key's cascade, the history) through `sessions_user_ended_idx`
 * (user_id, ended_at, id). On PostgreSQL every index of `sessions` takes a new entry when a
 * session ends (ended_at changes, no HOT update), so one index less makes "sign out everywhere
 * else" cheaper (issue 8), and every session row smaller on both databases.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("sessions_user_created_idx").ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex("sessions_user_created_idx")
    .ifNotExists()
    .on("sessions")
    .columns(["user_id", "created_at", "id"])
    .execute();
}
