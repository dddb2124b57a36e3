import type { NameKeyset } from "../../lib/keyset-cursor.js";
import { accountAfter, accountMatches, accountSortKey, type Executor } from "./accounts.repo.js";

/** One row of the person's account list, with its sort key (used by the keyset cursor). */
export interface MyAccountRow {
  id: string;
  name: string;
  type: string;
  mfaPolicy: string;
  joinedAt: number;
  sortKey: string;
}

export interface MyAccountsFilter {
  userId: string;
  limit: number;
  type?: string | undefined;
  q?: string | undefined;
  /** Keyset position: rows strictly after (sortKey, id). */
  after?: NameKeyset | undefined;
}

/**
 * One page of the person's accounts, sorted by name case-insensitively, then id (keyset, no
 * OFFSET). Fetches `limit + 1` rows so the caller knows whether another page exists.
 */
export function listMyAccountRows(ex: Executor, filter: MyAccountsFilter): Promise<MyAccountRow[]> {
  let query = ex
    .selectFrom("accountMemberships as m")
    .innerJoin("accounts as a", "a.id", "m.accountId")
    .select(["a.id", "a.name", "a.type", "a.mfaPolicy", "m.joinedAt", accountSortKey.as("sortKey")])
    .where("m.userId", "=", filter.userId);
  if (filter.type) query = query.where("a.type", "=", filter.type);
  if (filter.q) query = query.where(accountMatches(filter.q));
  if (filter.after) query = query.where(accountAfter(filter.after));
  return query
    .orderBy(accountSortKey)
    .orderBy("a.id")
    .limit(filter.limit + 1)
    .execute();
}

/** The person's groups in each of the given accounts, sorted by name. */
export async function listMyGroups(ex: Executor, userId: string, accountIds: string[]) {
  const map = new Map<string, Array<{ id: string; name: string }>>();
  if (accountIds.length === 0) return map;
  const rows = await ex
    .selectFrom("groupMemberships as gm")
    .innerJoin("accountGroups as g", "g.id", "gm.groupId")
    .select(["g.id", "g.name", "g.accountId", "g.isAdmin"])
    .where("gm.userId", "=", userId)
    .where("gm.accountId", "in", accountIds)
    .orderBy("g.isAdmin", "desc")
    .orderBy("g.name")
    .execute();
  for (const row of rows) map.set(row.accountId, [...(map.get(row.accountId) ?? []), { id: row.id, name: row.name }]);
  return map;
}

/** The account, when the person is a member of it (else undefined: no hint it exists, G2). */
export function findMyAccount(ex: Executor, userId: string, accountId: string) {
  return ex
    .selectFrom("accountMemberships as m")
    .innerJoin("accounts as a", "a.id", "m.accountId")
    .select(["a.id", "a.name", "a.type", "a.mfaPolicy"])
    .where("m.userId", "=", userId)
    .where("m.accountId", "=", accountId)
    .executeTakeFirst();
}

/** Sets the session's active account and clears its notice. */
export async function setActiveAccount(ex: Executor, sessionId: string, accountId: string): Promise<void> {
  await ex
    .updateTable("sessions")
    .set({ activeAccountId: accountId, notice: null })
    .where("id", "=", sessionId)
    .where("endedAt", "is", null)
    .execute();
}

/**
 * Moves the session out of its active account, only if it is still in that account
 * (compare-and-set: concurrent requests record one event). True when this call moved it.
 */
export async function leaveActiveAccount(ex: Executor, sessionId: string, accountId: string, notice: string) {
  const result = await ex
    .updateTable("sessions")
    .set({ activeAccountId: null, notice })
    .where("id", "=", sessionId)
    .where("activeAccountId", "=", accountId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Clears the session's notice once the person has seen it (dismissed). */
export async function clearNotice(ex: Executor, sessionId: string): Promise<void> {
  await ex.updateTable("sessions").set({ notice: null }).where("id", "=", sessionId).execute();
}
