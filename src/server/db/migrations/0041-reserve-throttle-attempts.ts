import type { Kysely } from "kysely";

/*
 * A throttle key remembers the last attempt that reserved it: an attempt is counted before it is
 * checked (one atomic statement), and the statement tells which keys admitted it by writing the
 * attempt's id only where the key was open.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("throttles").addColumn("last_attempt", "text").execute();
}
