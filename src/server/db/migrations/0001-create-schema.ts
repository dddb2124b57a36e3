import type { Kysely } from "kysely";

/*
 * The whole product's schema, written once for SQLite and PostgreSQL: only types both
 * understand (text, integer, bigint), foreign keys with ON DELETE CASCADE (SQLite enforces them
 * because database.ts turns `foreign_keys` on).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("phone", "text")
    .addColumn("job_title", "text")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("en-GB"))
    .addColumn("timezone", "text", (c) => c.notNull().defaultTo("UTC"))
    .addColumn("date_format", "text", (c) => c.notNull().defaultTo("YYYY-MM-DD"))
    .addColumn("time_format", "text", (c) => c.notNull().defaultTo("24h"))
    .addColumn("news_opt_in", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("news_opt_in_changed_at", "bigint")
    .addColumn("password_hash", "text")
    .addColumn("password_changed_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("mfa_policy", "text", (c) => c.notNull().defaultTo("optional"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("account_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("account_groups_account_name_key", ["account_id", "name"])
    .execute();

  await db.schema
    .createTable("account_memberships")
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("joined_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_memberships_pkey", ["account_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("account_memberships_user_idx")
    .on("account_memberships")
    .columns(["user_id", "account_id"])
    .execute();

  await db.schema
    .createTable("group_memberships")
    .addColumn("group_id", "text", (c) => c.notNull().references("account_groups.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("added_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("group_memberships_pkey", ["group_id", "user_id"])
    .execute();
  await db.schema.createIndex("group_memberships_user_idx").on("group_memberships").columns(["user_id", "account_id"]).execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("authenticated_at", "bigint", (c) => c.notNull())
    .addColumn("mfa_pending", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("mfa_verified", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active_account_id", "text", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("notice", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("ended_at", "bigint")
    .addColumn("end_reason", "text")
    .execute();
  // Keyset pagination of a person's sessions, newest first, without OFFSET.
  await db.schema.createIndex("sessions_user_created_idx").on("sessions").columns(["user_id", "created_at", "id"]).execute();
  await db.schema.createIndex("sessions_user_ended_idx").on("sessions").columns(["user_id", "ended_at", "id"]).execute();
  await db.schema.createIndex("sessions_expires_idx").on("sessions").columns(["ended_at", "expires_at"]).execute();

  await db.schema
    .createTable("mfa_factors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("secret_encrypted", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "bigint")
    .addColumn("last_used_step", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("mfa_factors_user_type_key", ["user_id", "type"])
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("recovery_codes_user_idx").on("recovery_codes").columns(["user_id"]).execute();

  await db.schema
    .createTable("one_time_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("email", "text")
    .addColumn("payload", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();
  await db.schema.createIndex("one_time_tokens_user_idx").on("one_time_tokens").columns(["user_id", "purpose"]).execute();
  await db.schema.createIndex("one_time_tokens_email_idx").on("one_time_tokens").columns(["email", "purpose"]).execute();
  await db.schema.createIndex("one_time_tokens_expires_idx").on("one_time_tokens").columns(["expires_at"]).execute();

  await db.schema
    .createTable("security_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("session_ref", "text")
    .addColumn("account_id", "text")
    .addColumn("result", "text", (c) => c.notNull().defaultTo("success"))
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("security_events_user_at_idx").on("security_events").columns(["user_id", "at", "id"]).execute();
  await db.schema.createIndex("security_events_at_idx").on("security_events").columns(["at"]).execute();

  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_encrypted", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("sent_at", "bigint")
    .execute();
  await db.schema.createIndex("mail_outbox_due_idx").on("mail_outbox").columns(["status", "next_attempt_at"]).execute();

  await db.schema
    .createTable("throttles")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("window_started_at", "bigint", (c) => c.notNull())
    .addColumn("locked_until", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("known_devices")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("device_key", "text", (c) => c.notNull())
    .addColumn("first_seen_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("known_devices_pkey", ["user_id", "device_key"])
    .execute();

  await db.schema
    .createTable("job_locks")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("locked_until", "bigint", (c) => c.notNull())
    .addColumn("owner", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    "job_locks",
    "known_devices",
    "throttles",
    "mail_outbox",
    "security_events",
    "one_time_tokens",
    "recovery_codes",
    "mfa_factors",
    "sessions",
    "group_memberships",
    "account_memberships",
    "account_groups",
    "accounts",
    "users",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
