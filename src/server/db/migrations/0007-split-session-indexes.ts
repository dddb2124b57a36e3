import { sql, type Kysely } from "kysely";

/*
 * Ending a session changes `ended_at`, and every index holding `ended_at` moves the row: two
 * index writes per ended session in each of `sessions_user_ended_idx` (user_id, ended_at, id) and
 * `sessions_expires_idx` (ended_at, expires_at), which ending many sessions at once multiplies.
 * They are split by what reads them, live rows and ended rows apart (partial indexes, SQLite and
 * PostgreSQL alike), so ending a session removes it from the live indexes and adds it to the
 * ended ones, one write each:
 * - `sessions_user_ended_idx` (user_id, ended_at, id) WHERE ended_at IS NOT NULL: a person's
 *   history, most recently ended first;
 * - `sessions_ended_at_idx` (ended_at) WHERE ended_at IS NOT NULL: the pruning job deleting
 *   history older than SESSION_HISTORY_DAYS;
 * - `sessions_live_expires_idx` (expires_at) WHERE ended_at IS NULL: the pruning job ending live
 *   sessions past their absolute expiry.
 * A person's sessions whatever their state (the users foreign key's cascade) stay reachable
 * through `sessions_user_created_idx` (user_id, created_at, id), which ending does not touch.
 * Ended sessions, most of the table, are now in five indexes instead of six.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("sessions_expires_idx").ifExists().execute();
  await db.schema.dropIndex("sessions_user_ended_idx").ifExists().execute();
  await db.schema
    .createIndex("sessions_user_ended_idx")
    .on("sessions")
    .columns(["user_id", "ended_at", "id"])
    .where(sql.ref("ended_at"), "is not", null)
    .execute();
  await db.schema
    .createIndex("sessions_ended_at_idx")
    .on("sessions")
    .column("ended_at")
    .where(sql.ref("ended_at"), "is not", null)
    .execute();
  await db.schema
    .createIndex("sessions_live_expires_idx")
    .on("sessions")
    .column("expires_at")
    .where(sql.ref("ended_at"), "is", null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("sessions_live_expires_idx").ifExists().execute();
  await db.schema.dropIndex("sessions_ended_at_idx").ifExists().execute();
  await db.schema.dropIndex("sessions_user_ended_idx").ifExists().execute();
  await db.schema.createIndex("sessions_user_ended_idx").on("sessions").columns(["user_id", "ended_at", "id"]).execute();
  await db.schema.createIndex("sessions_expires_idx").on("sessions").columns(["ended_at", "expires_at"]).execute();
}
