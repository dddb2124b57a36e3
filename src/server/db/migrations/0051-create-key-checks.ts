import type { Kysely } from "kysely";

/*
 * One key-check value per encryption key version: a known text encrypted under that key when a
 * node first ran with it. A node whose ENCRYPTION_KEYS cannot decrypt the value of a version it
 * lists (a regenerated or mistyped key) refuses to start instead of writing over data it cannot read.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("key_checks")
    .addColumn("version", "integer", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}
