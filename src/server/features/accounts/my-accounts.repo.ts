import type { NameKeyset } from "../../lib/keyset-cursor.js";
import { hotQueryFamily, type PrepareHotQuery, type RowValues } from "../../db/hot-query.js";
import { LIMIT_PARAMETER } from "../../db/limit.js";
import { ACCOUNT_SORT_KEY, accountAfter, accountMatches, accountOfType } from "./account-filters.js";
import type { Executor } from "./accounts.repo.js";

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

/** One account of the person's list with their groups in it. */
export interface MyAccountPageRow extends MyAccountRow {
  /** Administrators' groups first, then by name. */
  groups: Array<{ id: string; name: string }>;
}

/*
 * `GET /me/accounts` on every visit of the Accounts page and the account switcher: two hot
 * queries (db/hot-query.ts, issue 8), the page and then the person's groups in its accounts.
 *
 * The page: the person's memberships are read through `account_memberships_user_idx`; the page
 * (at most `limit + 1` accounts) is sorted by name case-insensitively, then id (keyset, no
 * OFFSET). Each combination of filters (account-filters.ts, shared with the operator's list) is
 * its own statement (at most eight), so the usual, unfiltered page evaluates no filter at all.
 */

/** Which filters a page query applies. */
export interface MyAccountsFilterShape {
  type: boolean;
  q: boolean;
  after: boolean;
}

/** The SQL of a page query with the filters of `shape`; parameters in `?` order from {@link myAccountsPageParameters}. */
export function myAccountsPageSql(shape: MyAccountsFilterShape): string {
  const where = ["m.user_id = ?"];
  if (shape.type) where.push(accountOfType.sql);
  if (shape.q) where.push(accountMatches.sql);
  if (shape.after) where.push(accountAfter.sql);
  return `select a.id as "id", a.name as "name", a.type as "type", a.mfa_policy as "mfaPolicy", m.joined_at as "joinedAt",
  ${ACCOUNT_SORT_KEY} as "sortKey"
from account_memberships m
join accounts a on a.id = m.account_id
where ${where.join("\n  and ")}
order by ${ACCOUNT_SORT_KEY}, a.id
limit ${LIMIT_PARAMETER}`;
}

/** The filters a filter applies (the shape of its statement). */
export function shapeOf(filter: MyAccountsFilter): MyAccountsFilterShape {
  return { type: filter.type !== undefined, q: Boolean(filter.q), after: filter.after !== undefined };
}

/** The parameters of {@link myAccountsPageSql} for a filter, in `?` order. */
export function myAccountsPageParameters(filter: MyAccountsFilter): unknown[] {
  return [
    filter.userId,
    ...(filter.type !== undefined ? accountOfType.parameters(filter.type) : []),
    ...(filter.q ? accountMatches.parameters(filter.q) : []),
    ...(filter.after ? accountAfter.parameters(filter.after) : []),
    filter.limit + 1,
  ];
}

/**
 * The person's groups in up to `slots` accounts (`group_memberships_user_idx`), administrators'
 * groups first, then by name. The account list is padded with nulls (which match nothing) to a
 * power of two, so a handful of statements serve every page size.
 */
export function myGroupsSql(slots: number): string {
  return `select g.id as "id", g.name as "name", g.account_id as "accountId"
from group_memberships gm
join account_groups g on g.id = gm.group_id
where gm.user_id = ? and gm.account_id in (${Array.from({ length: slots }, () => "?").join(", ")})
order by g.is_admin desc, g.name`;
}

/** The slot count of {@link myGroupsSql} for `count` accounts: the next power of two, at least 8. */
export function groupSlotsFor(count: number): number {
  let slots = 8;
  while (slots < count) slots *= 2;
  return slots;
}

/** A page row, with an empty list for its groups (filled from the second query): built whole, not spread into another object. */
function decodeAccount(values: RowValues): MyAccountPageRow {
  const [id, name, type, mfaPolicy, joinedAt, sortKey] = values as [string, string, string, string, number, string];
  return { id, name, type, mfaPolicy, joinedAt, sortKey, groups: [] };
}

function decodeGroup(values: RowValues): { id: string; name: string; accountId: string } {
  const [id, name, accountId] = values as [string, string, string];
  return { id, name, accountId };
}

/** Pages of the person's accounts, each with the person's groups in it. */
export function createMyAccountPages(prepareHot: PrepareHotQuery) {
  const shapeKey = (shape: MyAccountsFilterShape) => `${shape.type ? "t" : ""}${shape.q ? "q" : ""}${shape.after ? "a" : ""}`;
  const pageQuery = hotQueryFamily(
    prepareHot,
    (shape) => `my_accounts_page_${shapeKey(shape)}_v1`,
    myAccountsPageSql,
    decodeAccount,
  );
  const groupsQuery = hotQueryFamily(prepareHot, (slots: number) => `my_groups_${slots}_v1`, myGroupsSql, decodeGroup);

  /** Up to `limit + 1` accounts (so the caller knows whether another page exists), with their groups. */
  async function readPage(filter: MyAccountsFilter): Promise<MyAccountPageRow[]> {
    const accounts = await pageQuery(shapeOf(filter))(myAccountsPageParameters(filter));
    if (accounts.length === 0) return accounts;
    const slots = groupSlotsFor(accounts.length);
    const ids = accounts.map((account) => account.id);
    const groups = await groupsQuery(slots)([filter.userId, ...ids, ...Array<null>(slots - ids.length).fill(null)]);
    const byId = new Map(accounts.map((account) => [account.id, account]));
    for (const group of groups) byId.get(group.accountId)?.groups.push({ id: group.id, name: group.name });
    return accounts;
  }

  return { readPage };
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
