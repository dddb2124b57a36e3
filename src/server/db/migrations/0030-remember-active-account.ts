import type { Kysely } from "kysely";

/*
 * The account a person last made active, so the next sign-in starts there (when they are still
 * a member and the account's MFA policy lets that sign-in in). One row per person, in a table of
 * its own: the person's row is read by the session check on every request and stays as it is.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("last_active_accounts")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("chosen_at", "bigint", (c) => c.notNull())
    .execute();
}
