import type { Kysely } from "kysely";

/*
 * One row that `/readyz` writes to learn whether the database takes writes (db/write-probe.ts):
 * a read answers from a full disk, a read-only data directory or a read-only PostgreSQL alike.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("write_probe")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("probed_at", "bigint", (c) => c.notNull())
    .execute();
}
