import type { NameKeyset } from "../../lib/keyset-cursor.js";
import { hotQueryFamily, type PrepareHotQuery, type RowValues } from "../../db/hot-query.js";
import { LIMIT_PARAMETER } from "../../db/limit.js";
import { likeContains } from "./accounts.repo.js";

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
 * `GET /me/accounts` on every visit of the Accounts page and the account switcher: one hot query
 * (db/hot-query.ts) reads the page and the person's groups in its accounts.
 *
 * The page (a co-routine, `page`): the person's memberships are read through
 * `account_memberships_user_idx`; at most `limit + 1` accounts (so the caller knows whether another
 * page exists), sorted by name case-insensitively, then id (keyset, no OFFSET). Each combination of
 * filters is its own statement (at most
 * eight), so the usual, unfiltered page evaluates no filter at all.
 *
 * Then each account of the page is joined with the person's groups in it
 * (`group_memberships_user_idx`): a row per group, or one row with null group columns for an
 * account where the person is in none; administrators' groups first, then by name. One statement
 * instead of the page and then a second query with the page's ids in an IN list, which made
 * SQLite build a temporary table on every run.
 */

/** The sort key of the list (then `a.id`), as the operator's list sorts (accounts.repo.ts). */
const SORT_KEY = "lower(a.name)";

/** Each filter's condition on the `accounts` row `a`, with `?` placeholders. */
const FILTER_SQL = {
  type: "a.type = cast(? as text)",
  q: "(lower(a.name) like lower(cast(? as text)) escape '\\' or lower(a.id) like lower(cast(? as text)) escape '\\')",
  after: `(${SORT_KEY} > cast(? as text) or (${SORT_KEY} = cast(? as text) and a.id > cast(? as text)))`,
};

/** Which filters a page query applies. */
export interface MyAccountsFilterShape {
  type: boolean;
  q: boolean;
  after: boolean;
}

/** The SQL of a page query with the filters of `shape`; parameters in `?` order from {@link myAccountsPageParameters}. */
export function myAccountsPageSql(shape: MyAccountsFilterShape): string {
  const where = ["m.user_id = ?"];
  if (shape.type) where.push(FILTER_SQL.type);
  if (shape.q) where.push(FILTER_SQL.q);
  if (shape.after) where.push(FILTER_SQL.after);
  return `with page as (
  select a.id as id, a.name as name, a.type as type, a.mfa_policy as mfa_policy, m.joined_at as joined_at,
    ${SORT_KEY} as sort_key
  from account_memberships m
  join accounts a on a.id = m.account_id
  where ${where.join("\n    and ")}
  order by ${SORT_KEY}, a.id
  limit ${LIMIT_PARAMETER}
)
select p.id as "id", p.name as "name", p.type as "type", p.mfa_policy as "mfaPolicy", p.joined_at as "joinedAt",
  p.sort_key as "sortKey", g.id as "groupId", g.name as "groupName"
from page p
left join group_memberships gm on gm.user_id = ? and gm.account_id = p.id
left join account_groups g on g.id = gm.group_id
order by p.sort_key, p.id, g.is_admin desc, g.name`;
}

/** The filters a filter applies (the shape of its statement). */
export function shapeOf(filter: MyAccountsFilter): MyAccountsFilterShape {
  return { type: filter.type !== undefined, q: Boolean(filter.q), after: filter.after !== undefined };
}

/** The parameters of {@link myAccountsPageSql} for a filter, in `?` order. */
export function myAccountsPageParameters(filter: MyAccountsFilter): unknown[] {
  return [
    filter.userId,
    ...(filter.type !== undefined ? [filter.type] : []),
    ...(filter.q ? [likeContains(filter.q), likeContains(filter.q)] : []),
    ...(filter.after ? [filter.after.sortKey, filter.after.sortKey, filter.after.id] : []),
    filter.limit + 1,
    filter.userId,
  ];
}

/**
 * The page's rows folded into its accounts, each built whole with its groups (rows of one account
 * are adjacent: the statement orders by account first).
 */
export function foldAccounts(rows: readonly RowValues[]): MyAccountPageRow[] {
  const accounts: MyAccountPageRow[] = [];
  let last: MyAccountPageRow | undefined;
  for (const row of rows) {
    const [id, name, type, mfaPolicy, joinedAt, sortKey, groupId, groupName] = row as [
      string,
      string,
      string,
      string,
      number,
      string,
      string | null,
      string | null,
    ];
    if (last?.id !== id) accounts.push((last = { id, name, type, mfaPolicy, joinedAt, sortKey, groups: [] }));
    if (groupId !== null) last.groups.push({ id: groupId, name: groupName as string });
  }
  return accounts;
}

const rowValues = (values: RowValues) => values;

/** Pages of the person's accounts, each with the person's groups in it. */
export function createMyAccountPages(prepareHot: PrepareHotQuery) {
  const shapeKey = (shape: MyAccountsFilterShape) => `${shape.type ? "t" : ""}${shape.q ? "q" : ""}${shape.after ? "a" : ""}`;
  const pageQuery = hotQueryFamily(prepareHot, (shape) => `my_accounts_page_${shapeKey(shape)}_v2`, myAccountsPageSql, rowValues);

  /** Up to `limit + 1` accounts (so the caller knows whether another page exists), with their groups. */
  async function readPage(filter: MyAccountsFilter): Promise<MyAccountPageRow[]> {
    return foldAccounts(await pageQuery(shapeOf(filter))(myAccountsPageParameters(filter)));
  }

  return { readPage };
}
export type MyAccountPages = ReturnType<typeof createMyAccountPages>;
