import { sql } from "kysely";
import type { AccountsTable } from "../../db/schema.js";
import { ilike, type Executor } from "./accounts.repo.js";

/** An account row of the operator's list, with its member count and sort key. */
export interface AccountListRow extends AccountsTable {
  memberCount: number | string;
  sortKey: string;
}

export interface AccountListFilter {
  limit: number;
  type?: string | undefined;
  q?: string | undefined;
  after?: { sortKey: string; id: string } | undefined;
}

/** One page of every account (operator view), by name case-insensitively then id; `limit + 1` rows. */
export function listAccountRows(ex: Executor, filter: AccountListFilter): Promise<AccountListRow[]> {
  const sortKey = sql<string>`lower(${sql.ref("a.name")})`;
  let query = ex
    .selectFrom("accounts as a")
    .selectAll("a")
    .select((eb) => [
      sortKey.as("sortKey"),
      eb
        .selectFrom("accountMemberships as m")
        .select(eb.fn.countAll<number | string>().as("n"))
        .whereRef("m.accountId", "=", "a.id")
        .as("memberCount"),
    ]);
  if (filter.type) query = query.where("a.type", "=", filter.type);
  const q = filter.q;
  if (q) query = query.where((eb) => eb.or([ilike("a.name", q), ilike("a.id", q)]));
  const after = filter.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb(sortKey, ">", after.sortKey), eb.and([eb(sortKey, "=", after.sortKey), eb("a.id", ">", after.id)])]),
    );
  }
  return query
    .orderBy(sortKey)
    .orderBy("a.id")
    .limit(filter.limit + 1)
    .execute() as Promise<AccountListRow[]>;
}
