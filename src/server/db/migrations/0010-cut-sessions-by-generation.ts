import { sql, type Kysely } from "kysely";

/*
 * Ending all of a person's sessions used to write every session's row and its index entries
 * before it could answer, so the answer grew with the number of sessions. It is now one write to
 * the person's row (docs/design/session-cuts.md): `users.session_generation` goes up, and a
 * session is valid only while its own `sessions.generation` equals its person's, which the
 * session check reads in the row it already joins. The session kept (the one asking) is moved to
 * the new generation.
 *
 * The rows are marked as ended afterwards, in batches (`unsettled_cut_at` and
 * `unsettled_cut_reason` say when and why, until every row of an older generation carries it);
 * every reader of a person's sessions settles a pending cut first, so the pages never see the
 * difference. `users_unsettled_cut_idx` finds the people whose cut is still being settled (the
 * sweep after a crash or on another node); it holds a row only for that short while.
 *
 * Adding a column with a constant default rewrites no row on either database.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("session_generation", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("users").addColumn("unsettled_cut_at", "bigint").execute();
  await db.schema.alterTable("users").addColumn("unsettled_cut_reason", "text").execute();
  await db.schema
    .alterTable("sessions")
    .addColumn("generation", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("users_unsettled_cut_idx")
    .on("users")
    .column("unsettled_cut_at")
    .where(sql.ref("unsettled_cut_at"), "is not", null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("users_unsettled_cut_idx").ifExists().execute();
  await db.schema.alterTable("sessions").dropColumn("generation").execute();
  await db.schema.alterTable("users").dropColumn("unsettled_cut_reason").execute();
  await db.schema.alterTable("users").dropColumn("unsettled_cut_at").execute();
  await db.schema.alterTable("users").dropColumn("session_generation").execute();
}
