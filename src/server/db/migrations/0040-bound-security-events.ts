import type { Kysely } from "kysely";

/*
 * Security events carry the id of the request that recorded them, and repeated events of one
 * source fold into one row: `aggregate_key` names the source and the time slice (unique, NULL for
 * events kept one by one) and `occurrences` counts what the row stands for. A flood of
 * unauthenticated requests then writes a bounded number of rows.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("security_events").addColumn("request_id", "text").execute();
  await db.schema
    .alterTable("security_events")
    .addColumn("occurrences", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable("security_events").addColumn("aggregate_key", "text").execute();
  // Unique where set: NULLs never collide, on SQLite and PostgreSQL alike.
  await db.schema
    .createIndex("security_events_aggregate_key_idx")
    .on("security_events")
    .column("aggregate_key")
    .unique()
    .execute();
}
