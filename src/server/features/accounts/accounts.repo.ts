import { sql, type ExpressionBuilder } from "kysely";
import type { Dialect } from "../../db/database.js";
import { defineRepo } from "../../db/repo.js";
import type { AccountGroupsTable, AccountsTable, Database, Executor } from "../../db/schema.js";
import type { NameKeyset } from "../../lib/keyset-cursor.js";

/*
 * The accounts feature's tables (`accounts`, `account_groups`, `account_memberships`,
 * `group_memberships`, `last_active_accounts`): every write, and the operator's and other features' reads (a member list
 * joins `users` for the names it shows). The member's own list, read on every visit of the
 * Accounts page, is in my-accounts.repo.ts.
 */

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

type AccountsInQuery = ExpressionBuilder<Database & { a: AccountsTable }, "a">;

/** The sort key of the account lists (then `a.id`): the name, case-insensitively; also the keyset cursor's `sortKey`. */
function sortKeyOf(eb: AccountsInQuery) {
  return eb.fn<string>("lower", [eb.ref("a.name")]);
}

/** Escapes `%`, `_` and `\` so a search term matches itself inside LIKE (H3). */
export function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column` contains `term`, whatever the case, on both databases (`ilike` is PostgreSQL's only). */
function containsIgnoringCase(eb: AccountsInQuery, column: "a.name" | "a.id", term: string) {
  return sql<boolean>`lower(${eb.ref(column)}) like lower(cast(${likeContains(term)} as text)) escape '\\'`;
}

/** A member row: the person and when they joined. */
export interface MemberRow {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  joinedAt: number;
}

/** One of a person's memberships with their groups in that account. */
export interface UserMembershipRow {
  account: Pick<AccountsTable, "id" | "name" | "type">;
  joinedAt: number;
  groups: Array<Pick<AccountGroupsTable, "id" | "name" | "isAdmin">>;
}

function accountsStatements(ex: Executor, dialect: Dialect) {
  function findMembership(accountId: string, userId: string) {
    return ex
      .selectFrom("accountMemberships")
      .selectAll()
      .where("accountId", "=", accountId)
      .where("userId", "=", userId)
      .executeTakeFirst();
  }

  /** The operator's list: every account with its member count, filtered, by name case-insensitively then id, `limit + 1` rows. */
  function accountListQuery(filter: AccountListFilter) {
    let query = ex
      .selectFrom("accounts as a")
      .selectAll("a")
      .select((eb) => [
        sortKeyOf(eb).as("sortKey"),
        eb
          .selectFrom("accountMemberships as m")
          .select(eb.fn.countAll<number | string>().as("n"))
          .whereRef("m.accountId", "=", "a.id")
          .as("memberCount"),
      ]);
    const { type, q, after } = filter;
    if (type) query = query.where("a.type", "=", type);
    if (q) query = query.where((eb) => eb.or([containsIgnoringCase(eb, "a.name", q), containsIgnoringCase(eb, "a.id", q)]));
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb(sortKeyOf(eb), ">", after.sortKey),
          eb.and([eb(sortKeyOf(eb), "=", after.sortKey), eb("a.id", ">", after.id)]),
        ]),
      );
    }
    return query
      .orderBy((eb) => sortKeyOf(eb))
      .orderBy("a.id")
      .limit(filter.limit + 1);
  }

  /** Every account the person belongs to, with its MFA policy and when they joined (checkup, export, people), by name. */
  const accountsOfUser = (userId: string) =>
    ex
      .selectFrom("accountMemberships as m")
      .innerJoin("accounts as a", "a.id", "m.accountId")
      .select(["a.id", "a.name", "a.type", "a.mfaPolicy", "m.joinedAt"])
      .where("m.userId", "=", userId)
      .orderBy("a.name")
      .orderBy("a.id")
      .execute();

  /** Every group the person is in, across accounts, by account then name (export, people). */
  const groupsOfUser = (userId: string) =>
    ex
      .selectFrom("groupMemberships as gm")
      .innerJoin("accountGroups as g", "g.id", "gm.groupId")
      .select(["g.id", "g.name", "g.accountId", "g.isAdmin", "gm.addedAt"])
      .where("gm.userId", "=", userId)
      .orderBy("g.accountId")
      .orderBy("g.name")
      .execute();

  return {
    findMembership,

    findAccount(id: string): Promise<AccountsTable | undefined> {
      return ex.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
    },

    /**
     * Locks the account row until the transaction ends, so concurrent membership changes of one
     * account run one after the other (the last administrator cannot be removed twice at once).
     * SQLite needs no lock: it has one writer at a time.
     */
    async lockAccount(id: string): Promise<AccountsTable | undefined> {
      const query = ex.selectFrom("accounts").selectAll().where("id", "=", id);
      return dialect === "postgres" ? query.forUpdate().executeTakeFirst() : query.executeTakeFirst();
    },

    async insertAccount(row: AccountsTable): Promise<void> {
      await ex.insertInto("accounts").values(row).execute();
    },

    async updateAccount(id: string, changes: Partial<Pick<AccountsTable, "name" | "mfaPolicy">>, now: number) {
      await ex
        .updateTable("accounts")
        .set({ ...changes, updatedAt: now })
        .where("id", "=", id)
        .execute();
    },

    async insertGroup(row: AccountGroupsTable): Promise<void> {
      await ex.insertInto("accountGroups").values(row).execute();
    },

    listGroups(accountId: string): Promise<AccountGroupsTable[]> {
      return ex
        .selectFrom("accountGroups")
        .selectAll()
        .where("accountId", "=", accountId)
        .orderBy("isAdmin", "desc")
        .orderBy("name")
        .orderBy("id")
        .execute();
    },

    findGroupByName(accountId: string, name: string): Promise<AccountGroupsTable | undefined> {
      return ex
        .selectFrom("accountGroups")
        .selectAll()
        .where("accountId", "=", accountId)
        .where(sql<boolean>`lower(${sql.ref("name")}) = lower(cast(${name} as text))`)
        .executeTakeFirst();
    },

    listMembers(accountId: string): Promise<MemberRow[]> {
      return ex
        .selectFrom("accountMemberships as m")
        .innerJoin("users as u", "u.id", "m.userId")
        .select(["u.id as userId", "u.email", "u.firstName", "u.lastName", "m.joinedAt"])
        .where("m.accountId", "=", accountId)
        .orderBy("u.lastName")
        .orderBy("u.firstName")
        .orderBy("u.id")
        .execute();
    },

    /** Group ids per member of an account. */
    async listGroupIdsByMember(accountId: string): Promise<Map<string, string[]>> {
      const rows = await ex
        .selectFrom("groupMemberships")
        .select(["userId", "groupId"])
        .where("accountId", "=", accountId)
        .orderBy("groupId")
        .execute();
      const map = new Map<string, string[]>();
      for (const row of rows) map.set(row.userId, [...(map.get(row.userId) ?? []), row.groupId]);
      return map;
    },

    /** Adds the person to the account (if not yet) and to each group; returns the groups newly joined. */
    async addMembership(accountId: string, userId: string, groupIds: string[], now: number) {
      const existing = await findMembership(accountId, userId);
      if (!existing) await ex.insertInto("accountMemberships").values({ accountId, userId, joinedAt: now }).execute();
      const current = await ex
        .selectFrom("groupMemberships")
        .select("groupId")
        .where("accountId", "=", accountId)
        .where("userId", "=", userId)
        .execute();
      const have = new Set(current.map((r) => r.groupId));
      const added = groupIds.filter((id) => !have.has(id));
      if (added.length > 0) {
        await ex
          .insertInto("groupMemberships")
          .values(added.map((groupId) => ({ groupId, userId, accountId, addedAt: now })))
          .execute();
      }
      return { joined: !existing, addedGroupIds: added };
    },

    /** Replaces the person's groups in the account. */
    async replaceGroups(accountId: string, userId: string, groupIds: string[], now: number) {
      await ex.deleteFrom("groupMemberships").where("accountId", "=", accountId).where("userId", "=", userId).execute();
      await ex
        .insertInto("groupMemberships")
        .values(groupIds.map((groupId) => ({ groupId, userId, accountId, addedAt: now })))
        .execute();
    },

    /** Removes the person from the account and all its groups. */
    async deleteMembership(accountId: string, userId: string): Promise<void> {
      await ex.deleteFrom("groupMemberships").where("accountId", "=", accountId).where("userId", "=", userId).execute();
      await ex.deleteFrom("accountMemberships").where("accountId", "=", accountId).where("userId", "=", userId).execute();
    },

    /** Members of the account's administrator group(s) other than `exceptUserId`. */
    async countOtherAdmins(accountId: string, exceptUserId: string): Promise<number> {
      const row = await ex
        .selectFrom("groupMemberships as gm")
        .innerJoin("accountGroups as g", "g.id", "gm.groupId")
        .select((eb) => eb.fn.count<number | string>("gm.userId").distinct().as("n"))
        .where("g.accountId", "=", accountId)
        .where("g.isAdmin", "=", 1)
        .where("gm.userId", "!=", exceptUserId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    accountListQuery,

    /** One page of every account (operator view), by name case-insensitively then id; `limit + 1` rows. */
    listAccountRows(filter: AccountListFilter): Promise<AccountListRow[]> {
      return accountListQuery(filter).execute() as Promise<AccountListRow[]>;
    },

    /** The account, when the person is a member of it (else undefined: no hint it exists, G2). */
    findMyAccount(userId: string, accountId: string) {
      return ex
        .selectFrom("accountMemberships as m")
        .innerJoin("accounts as a", "a.id", "m.accountId")
        .select(["a.id", "a.name", "a.type", "a.mfaPolicy"])
        .where("m.userId", "=", userId)
        .where("m.accountId", "=", accountId)
        .executeTakeFirst();
    },

    /** Remembers the account the person made active (one row per person), for their next sign-in. */
    async rememberActiveAccount(userId: string, accountId: string, now: number): Promise<void> {
      await ex
        .insertInto("lastActiveAccounts")
        .values({ userId, accountId, chosenAt: now })
        .onConflict((conflict) => conflict.column("userId").doUpdateSet({ accountId, chosenAt: now }))
        .execute();
    },

    /** The account the person last made active and when they chose it, if any. */
    findRememberedChoice(userId: string) {
      return ex
        .selectFrom("lastActiveAccounts")
        .select(["accountId", "chosenAt"])
        .where("userId", "=", userId)
        .executeTakeFirst();
    },

    /** The account the person last made active, if any. */
    async findRememberedAccount(userId: string): Promise<string | undefined> {
      const row = await ex.selectFrom("lastActiveAccounts").select("accountId").where("userId", "=", userId).executeTakeFirst();
      return row?.accountId;
    },

    listAccountsOfUser: accountsOfUser,
    listGroupMembershipsOfUser: groupsOfUser,

    /** Accounts the person belongs to whose MFA policy is `required` (MFA cannot be turned off while any exist). */
    findAccountsRequiringMfa(userId: string): Promise<Array<{ id: string; name: string }>> {
      return ex
        .selectFrom("accountMemberships as m")
        .innerJoin("accounts as a", "a.id", "m.accountId")
        .select(["a.id", "a.name"])
        .where("m.userId", "=", userId)
        .where("a.mfaPolicy", "=", "required")
        .orderBy("a.name")
        .execute();
    },

    /** The person's memberships (account, when they joined) and their groups in each, by account name. */
    async listMembershipsOfUser(userId: string): Promise<UserMembershipRow[]> {
      const [memberships, groups] = [await accountsOfUser(userId), await groupsOfUser(userId)];
      return memberships.map((m) => ({
        account: { id: m.id, name: m.name, type: m.type },
        joinedAt: m.joinedAt,
        groups: groups.filter((g) => g.accountId === m.id).map((g) => ({ id: g.id, name: g.name, isAdmin: g.isAdmin })),
      }));
    },

    /**
     * Accounts where the person is the only member of the Administrators group: every account
     * keeps at least one administrator, so they cannot leave or delete themselves.
     */
    async findSoleAdminAccounts(userId: string): Promise<Array<{ id: string; name: string }>> {
      const rows = await ex
        .selectFrom("groupMemberships as gm")
        .innerJoin("accountGroups as g", "g.id", "gm.groupId")
        .innerJoin("accounts as a", "a.id", "g.accountId")
        .select(["a.id", "a.name", "g.id as groupId"])
        .where("gm.userId", "=", userId)
        .where("g.isAdmin", "=", 1)
        .execute();
      const sole: Array<{ id: string; name: string }> = [];
      for (const row of rows) {
        const others = await ex
          .selectFrom("groupMemberships")
          .select("userId")
          .where("groupId", "=", row.groupId)
          .where("userId", "!=", userId)
          .limit(1)
          .executeTakeFirst();
        if (!others) sole.push({ id: row.id, name: row.name });
      }
      return sole.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export const createAccountsRepo = defineRepo(accountsStatements);
export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
