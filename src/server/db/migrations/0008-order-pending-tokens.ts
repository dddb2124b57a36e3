import type { Kysely } from "kysely";

/*
 * The session check (every request) asks for the person's newest pending email change:
 * `one_time_tokens` of the person and purpose, newest first, LIMIT 1. Through
 * `one_time_tokens_user_idx` (user_id, purpose) SQLite built a temporary B-tree to sort them on
 * every request, even when there were none. The index now ends with `created_at`, so the newest
 * comes first from the index itself (SQLite and PostgreSQL alike); every query that used the old
 * index reads the new one by its prefix.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex("one_time_tokens_user_created_idx")
    .on("one_time_tokens")
    .columns(["user_id", "purpose", "created_at"])
    .execute();
  await db.schema.dropIndex("one_time_tokens_user_idx").ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex("one_time_tokens_user_idx").on("one_time_tokens").columns(["user_id", "purpose"]).execute();
  await db.schema.dropIndex("one_time_tokens_user_created_idx").ifExists().execute();
}
