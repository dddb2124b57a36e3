import { sql, type Kysely } from "kysely";

/*
 * Indexes for the Sessions and activity pages and the history pruning job. Partial
 * indexes (`WHERE …`) work on SQLite and PostgreSQL alike and stay small: a person may have
 * 100,000 ended sessions but only a handful of live ones.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Active sessions of a person, newest first (keyset on created_at, id), skipping the history.
  await db.schema
    .createIndex("sessions_user_live_idx")
    .on("sessions")
    .columns(["user_id", "created_at", "id"])
    .where(sql.ref("ended_at"), "is", null)
    .execute();
  // Pruning job: live sessions gone idle (last request more than SESSION_IDLE_MINUTES ago).
  await db.schema
    .createIndex("sessions_live_last_seen_idx")
    .on("sessions")
    .column("last_seen_at")
    .where(sql.ref("ended_at"), "is", null)
    .execute();
  // The activity log filtered by event type, newest first (keyset on at, id).
  await db.schema
    .createIndex("security_events_user_type_at_idx")
    .on("security_events")
    .columns(["user_id", "type", "at", "id"])
    .execute();
  // Pruning: used single-use tokens, idle throttle rows, old mail.
  await db.schema
    .createIndex("one_time_tokens_used_idx")
    .on("one_time_tokens")
    .column("used_at")
    .where(sql.ref("used_at"), "is not", null)
    .execute();
  await db.schema.createIndex("throttles_updated_idx").on("throttles").column("updated_at").execute();
  await db.schema.createIndex("mail_outbox_status_created_idx").on("mail_outbox").columns(["status", "created_at"]).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const name of [
    "mail_outbox_status_created_idx",
    "throttles_updated_idx",
    "one_time_tokens_used_idx",
    "security_events_user_type_at_idx",
    "sessions_live_last_seen_idx",
    "sessions_user_live_idx",
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
