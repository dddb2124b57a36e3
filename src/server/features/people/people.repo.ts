import { sql } from "kysely";
import { defineRepo } from "../../db/repo.js";
import type { Executor, UsersTable } from "../../db/schema.js";
import type { NameKeyset } from "../../lib/keyset-cursor.js";

/*
 * The `disabled_users` table (the people feature owns it), and the operator's list of people:
 * `users` searched by email or name, with their status, ordered by email (unique) for keyset paging.
 */

/** A person as the operator's list reads them: the user row's public columns and the status. */
export type PersonRow = Pick<UsersTable, "id" | "email" | "firstName" | "lastName" | "createdAt"> & {
  disabledAt: number | null;
  /** The keyset position: the (lower-cased, unique) email. */
  sortKey: string;
};

/** What the list is filtered by; `after` is the last row of the previous page. */
export interface PersonFilter {
  limit: number;
  /** Part of the email, first or last name; any case. */
  q?: string | undefined;
  status?: "active" | "disabled" | undefined;
  after?: NameKeyset | undefined;
}

/** `q` as a LIKE pattern that matches it literally anywhere (`\` escapes `%`, `_` and itself). */
function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function peopleStatements(ex: Executor) {
  return {
    /** One page (plus one row, to know whether another follows) of people matching the filter. */
    listPeople(filter: PersonFilter): Promise<PersonRow[]> {
      let query = ex
        .selectFrom("users as u")
        .leftJoin("disabledUsers as d", "d.userId", "u.id")
        .select(["u.id", "u.email", "u.firstName", "u.lastName", "u.createdAt", "d.disabledAt", "u.email as sortKey"]);
      if (filter.q) {
        const pattern = containsPattern(filter.q);
        query = query.where((eb) =>
          eb.or(
            ["u.email", "u.firstName", "u.lastName"].map(
              (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
            ),
          ),
        );
      }
      if (filter.status === "disabled") query = query.where("d.userId", "is not", null);
      if (filter.status === "active") query = query.where("d.userId", "is", null);
      if (filter.after) query = query.where("u.email", ">", filter.after.sortKey);
      return query
        .orderBy("u.email")
        .limit(filter.limit + 1)
        .execute();
    },

    /** When the person was disabled, or undefined while they are active. */
    async findDisabledAt(userId: string): Promise<number | undefined> {
      const row = await ex.selectFrom("disabledUsers").select("disabledAt").where("userId", "=", userId).executeTakeFirst();
      return row?.disabledAt;
    },

    /** Marks the person disabled (kept as it is when they already are); true when it changed. */
    async disable(userId: string, now: number): Promise<boolean> {
      const result = await ex
        .insertInto("disabledUsers")
        .values({ userId, disabledAt: now })
        .onConflict((oc) => oc.column("userId").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /** Lets the person sign in again; true when they were disabled. */
    async enable(userId: string): Promise<boolean> {
      const result = await ex.deleteFrom("disabledUsers").where("userId", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

/** The people repository. */
export const createPeopleRepo = defineRepo(peopleStatements);
export type PeopleRepo = ReturnType<typeof createPeopleRepo>;
