import type { Kysely } from "kysely";

/*
 * People an operator disabled: a row per disabled person, gone when they are enabled again. A
 * table of its own (not a column of `users`): the person's row is read by the session check on
 * every request and stays as it is; disabling ends every session through a cut anyway.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("disabled_users")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("disabled_at", "bigint", (c) => c.notNull())
    .execute();
}
