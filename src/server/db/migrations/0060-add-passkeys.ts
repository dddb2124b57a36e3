import type { Kysely } from "kysely";

/*
 * Passkeys (WebAuthn credentials) and the challenges handed out for them.
 *
 * `passkeys`: one row per credential. The public key is stored as it came (COSE, base64url): it
 * is no secret. `user_handle` is the WebAuthn user id given to authenticators: random, the same
 * for all of a person's passkeys (so an authenticator replaces rather than duplicates one), and
 * never the email. `counter` is the authenticator's signature counter, for clone detection.
 *
 * `webauthn_challenges`: each challenge is single-use (consumed by one conditional DELETE),
 * expires within 5 minutes and is bound to the browser that asked (`binding`: the session's
 * public id, or the hash of a pre-session cookie). In the database so any node can check it.
 *
 * `sessions.auth_methods`: how the session was signed in, as RFC 8176 `amr` values separated by
 * spaces (`pwd`, `otp`, `hwk`, `swk`, `user`, `mfa`), read by single sign-on.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("passkeys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("credential_id", "text", (c) => c.notNull().unique())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("user_handle", "text", (c) => c.notNull())
    .addColumn("counter", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("transports", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("device_type", "text", (c) => c.notNull())
    .addColumn("backed_up", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("aaguid", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint")
    .execute();
  await db.schema.createIndex("passkeys_user_idx").on("passkeys").columns(["user_id", "created_at"]).execute();

  await db.schema
    .createTable("webauthn_challenges")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("binding", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("challenge", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("user_handle", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webauthn_challenges_binding_idx")
    .on("webauthn_challenges")
    .columns(["binding", "purpose"])
    .execute();
  await db.schema.createIndex("webauthn_challenges_expires_idx").on("webauthn_challenges").columns(["expires_at"]).execute();

  await db.schema
    .alterTable("sessions")
    .addColumn("auth_methods", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("auth_methods").execute();
  await db.schema.dropTable("webauthn_challenges").ifExists().execute();
  await db.schema.dropTable("passkeys").ifExists().execute();
}
