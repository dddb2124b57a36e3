import { defineRepo } from "../../db/repo.js";
import type { Executor, SecurityEventsTable } from "../../db/schema.js";
import type { TimeKeyset } from "../../lib/keyset-cursor.js";

/** An event row as the activity log shows it (no session reference). */
export type EventRow = Pick<
  SecurityEventsTable,
  "id" | "type" | "at" | "ip" | "userAgent" | "result" | "details" | "occurrences"
>;

/** The `security_events` table: the audit trail's writes and the activity log's reads. */
function securityEventsStatements(ex: Executor) {
  /**
   * A page of the person's events, newest first: keyset on (at, id) over
   * `security_events_user_at_idx`, or `security_events_user_type_at_idx` when filtered by type.
   */
  function eventsQuery(userId: string, filter: { types?: string[] | undefined; after?: TimeKeyset | undefined }, limit: number) {
    let query = ex
      .selectFrom("securityEvents")
      .select(["id", "type", "at", "ip", "userAgent", "result", "details", "occurrences"])
      .where("userId", "=", userId);
    const { types, after } = filter;
    if (types && types.length === 1) query = query.where("type", "=", types[0] as string);
    else if (types && types.length > 1) query = query.where("type", "in", types);
    if (after) query = query.where((eb) => eb(eb.refTuple("at", "id"), "<", eb.tuple(after.at, after.id)));
    return query.orderBy("at", "desc").orderBy("id", "desc").limit(limit);
  }

  return {
    async insert(row: SecurityEventsTable): Promise<void> {
      await ex.insertInto("securityEvents").values(row).execute();
    },

    /**
     * A folded event: the first occurrence of its `aggregateKey` is stored as given, every later
     * one only adds to that row's `occurrences` (one statement, atomic on both databases).
     */
    async insertOrCount(row: SecurityEventsTable & { aggregateKey: string }): Promise<void> {
      await ex
        .insertInto("securityEvents")
        .values(row)
        .onConflict((oc) =>
          oc.column("aggregateKey").doUpdateSet((eb) => ({ occurrences: eb(eb.ref("securityEvents.occurrences"), "+", 1) })),
        )
        .execute();
    },

    /** Deletes up to `limit` events older than `cutoff` (the retention); returns how many. */
    async deleteOlderThan(cutoff: number, limit: number): Promise<number> {
      const batch = ex.selectFrom("securityEvents").select("id").where("at", "<", cutoff).limit(limit);
      const result = await ex.deleteFrom("securityEvents").where("id", "in", batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    eventsQuery,

    listEvents: (...args: Parameters<typeof eventsQuery>): Promise<EventRow[]> => eventsQuery(...args).execute(),

    /** Every event of the person, oldest first (the data export: the session reference included). */
    listAllOfUser(userId: string) {
      return ex
        .selectFrom("securityEvents")
        .select(["id", "type", "at", "ip", "userAgent", "sessionRef", "accountId", "result", "details"])
        .where("userId", "=", userId)
        .orderBy("at")
        .orderBy("id")
        .execute();
    },

    /** An erased person's events keep only the pseudonymous id. Returns how many. */
    async pseudonymize(userId: string, pseudonym: string): Promise<number> {
      const result = await ex
        .updateTable("securityEvents")
        .set({ userId: pseudonym })
        .where("userId", "=", userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export const createSecurityEventsRepo = defineRepo(securityEventsStatements);
export type SecurityEventsRepo = ReturnType<typeof createSecurityEventsRepo>;
