import type { AccountsTable } from "../../db/schema.js";
import type { NameKeyset } from "../../lib/keyset-cursor.js";
import { accountAfter, accountMatches, accountOfType, accountSortKey, asCondition } from "./account-filters.js";
import type { Executor } from "./accounts.repo.js";

/** An account row of the operator's list, with its member count and sort key. */
export interface AccountListRow extends AccountsTable {
  memberCount: number | string;
  sortKey: string;
}

export interface AccountListFilter {
  limit: number;
  type?: string | undefined;
  q?: string | undefined;
  after?: NameKeyset | undefined;
}

/** One page of every account (operator view), by name case-insensitively then id; `limit + 1` rows. */
export function listAccountRows(ex: Executor, filter: AccountListFilter): Promise<AccountListRow[]> {
  let query = ex
    .selectFrom("accounts as a")
    .selectAll("a")
    .select((eb) => [
      accountSortKey.as("sortKey"),
      eb
        .selectFrom("accountMemberships as m")
        .select(eb.fn.countAll<number | string>().as("n"))
        .whereRef("m.accountId", "=", "a.id")
        .as("memberCount"),
    ]);
  if (filter.type) query = query.where(asCondition(accountOfType, filter.type));
  if (filter.q) query = query.where(asCondition(accountMatches, filter.q));
  if (filter.after) query = query.where(asCondition(accountAfter, filter.after));
  return query
    .orderBy(accountSortKey)
    .orderBy("a.id")
    .limit(filter.limit + 1)
    .execute() as Promise<AccountListRow[]>;
}
