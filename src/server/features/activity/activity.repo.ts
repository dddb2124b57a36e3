import type { Kysely } from "kysely";
import type { Database, SecurityEventsTable } from "../../db/schema.js";
import type { TimeKeyset } from "../../lib/keyset-cursor.js";

/** An event row as the activity log shows it (no session reference). */
export type EventRow = Pick<SecurityEventsTable, "id" | "type" | "at" | "ip" | "userAgent" | "result" | "details">;

/** Kysely queries of the activity log. */
export function createActivityRepo(db: Kysely<Database>) {
  /**
   * A page of the person's events, newest first: keyset on (at, id) over
   * `security_events_user_at_idx`, or `security_events_user_type_at_idx` when filtered by type.
   */
  function eventsQuery(userId: string, filter: { types?: string[] | undefined; after?: TimeKeyset | undefined }, limit: number) {
    let query = db
      .selectFrom("securityEvents")
      .select(["id", "type", "at", "ip", "userAgent", "result", "details"])
      .where("userId", "=", userId);
    const { types, after } = filter;
    if (types && types.length === 1) query = query.where("type", "=", types[0] as string);
    else if (types && types.length > 1) query = query.where("type", "in", types);
    if (after) query = query.where((eb) => eb(eb.refTuple("at", "id"), "<", eb.tuple(after.at, after.id)));
    return query.orderBy("at", "desc").orderBy("id", "desc").limit(limit);
  }

  return {
    eventsQuery,
    listEvents: (...args: Parameters<typeof eventsQuery>): Promise<EventRow[]> => eventsQuery(...args).execute(),
  };
}

export type ActivityRepo = ReturnType<typeof createActivityRepo>;
