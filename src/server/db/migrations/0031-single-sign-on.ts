import type { Kysely } from "kysely";

/*
 * Single sign-on (Profile Center as the platform's OpenID Provider, docs/single-sign-on.md):
 *
 * - `oidc_clients`: the relying parties the operator registered (secrets stored as SHA-256 only);
 * - `oidc_keys`: signing keys and the provider's cookie keys, encrypted with ENCRYPTION_KEYS, so
 *   every node signs and verifies with the same keys;
 * - `oidc_state`: the provider's own state (codes, grants, refresh and access tokens,
 *   interactions, its sessions), one row per object, keyed by the SHA-256 of its id;
 * - `sso_session_clients`: which clients got a code in which Profile Center session, with the
 *   `sid` they know it by; once that session ends, the same row is the durable back-channel
 *   logout queue entry for that client;
 * - `sso_apps`: the person's connected apps (first and last use, scopes), until Disconnect.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("oidc_clients")
    .addColumn("client_id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text")
    .addColumn("redirect_uris", "text", (c) => c.notNull())
    .addColumn("post_logout_redirect_uris", "text", (c) => c.notNull())
    .addColumn("backchannel_logout_uri", "text")
    .addColumn("is_public", "integer", (c) => c.notNull())
    .addColumn("require_mfa", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("oidc_keys")
    .addColumn("kid", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("material_encrypted", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("retire_at", "bigint")
    .execute();

  await db.schema
    .createTable("oidc_state")
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("id_hash", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("grant_id", "text")
    .addColumn("uid", "text")
    .addColumn("account_id", "text")
    .addColumn("client_id", "text")
    .addColumn("session_id", "text")
    .addColumn("expires_at", "bigint")
    .addColumn("consumed_at", "bigint")
    .addPrimaryKeyConstraint("oidc_state_pk", ["model", "id_hash"])
    .execute();
  await db.schema.createIndex("oidc_state_grant_idx").on("oidc_state").column("grant_id").execute();
  await db.schema.createIndex("oidc_state_uid_idx").on("oidc_state").columns(["model", "uid"]).execute();
  await db.schema.createIndex("oidc_state_expires_idx").on("oidc_state").column("expires_at").execute();
  await db.schema.createIndex("oidc_state_account_idx").on("oidc_state").columns(["account_id", "client_id"]).execute();

  await db.schema
    .createTable("sso_session_clients")
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("sid", "text", (c) => c.notNull())
    .addColumn("grant_id", "text", (c) => c.notNull())
    .addColumn("active_account_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    // live → pending (session ended, logout to send) → sent | failed | none (no URI)
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint")
    .addColumn("ended_at", "bigint")
    .addColumn("delivered_at", "bigint")
    .addColumn("last_error", "text")
    .addPrimaryKeyConstraint("sso_session_clients_pk", ["session_id", "client_id"])
    .execute();
  await db.schema
    .createIndex("sso_session_clients_state_idx")
    .on("sso_session_clients")
    .columns(["state", "next_attempt_at"])
    .execute();
  await db.schema.createIndex("sso_session_clients_grant_idx").on("sso_session_clients").column("grant_id").execute();
  await db.schema
    .createIndex("sso_session_clients_user_idx")
    .on("sso_session_clients")
    .columns(["user_id", "client_id"])
    .execute();

  await db.schema
    .createTable("sso_apps")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("client_id", "text", (c) => c.notNull().references("oidc_clients.client_id").onDelete("cascade"))
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("first_authorized_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("sso_apps_pk", ["user_id", "client_id"])
    .execute();
}
