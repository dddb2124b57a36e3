import { sql } from "kysely";
import type { Dialect } from "../../db/database.js";
import type { AccountGroupsTable, AccountsTable, Executor } from "../../db/schema.js";

export type { Executor };

/** A member row: the person and when they joined. */
export interface MemberRow {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  joinedAt: number;
}

export function findAccount(ex: Executor, id: string): Promise<AccountsTable | undefined> {
  return ex.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Locks the account row until the transaction ends, so concurrent membership changes of one
 * account run one after the other (the last administrator cannot be removed twice at once).
 * SQLite needs no lock: it has one writer at a time.
 */
export async function lockAccount(ex: Executor, dialect: Dialect, id: string): Promise<AccountsTable | undefined> {
  const query = ex.selectFrom("accounts").selectAll().where("id", "=", id);
  return dialect === "postgres" ? query.forUpdate().executeTakeFirst() : query.executeTakeFirst();
}

export async function insertAccount(ex: Executor, row: AccountsTable): Promise<void> {
  await ex.insertInto("accounts").values(row).execute();
}

export async function updateAccount(
  ex: Executor,
  id: string,
  changes: Partial<Pick<AccountsTable, "name" | "mfaPolicy">>,
  now: number,
) {
  await ex
    .updateTable("accounts")
    .set({ ...changes, updatedAt: now })
    .where("id", "=", id)
    .execute();
}

export async function insertGroup(ex: Executor, row: AccountGroupsTable): Promise<void> {
  await ex.insertInto("accountGroups").values(row).execute();
}

export function listGroups(ex: Executor, accountId: string): Promise<AccountGroupsTable[]> {
  return ex
    .selectFrom("accountGroups")
    .selectAll()
    .where("accountId", "=", accountId)
    .orderBy("isAdmin", "desc")
    .orderBy("name")
    .orderBy("id")
    .execute();
}

export function findGroupByName(ex: Executor, accountId: string, name: string): Promise<AccountGroupsTable | undefined> {
  return ex
    .selectFrom("accountGroups")
    .selectAll()
    .where("accountId", "=", accountId)
    .where(sql<boolean>`lower(${sql.ref("name")}) = lower(cast(${name} as text))`)
    .executeTakeFirst();
}

export function findMembership(ex: Executor, accountId: string, userId: string) {
  return ex
    .selectFrom("accountMemberships")
    .selectAll()
    .where("accountId", "=", accountId)
    .where("userId", "=", userId)
    .executeTakeFirst();
}

export function listMembers(ex: Executor, accountId: string): Promise<MemberRow[]> {
  return ex
    .selectFrom("accountMemberships as m")
    .innerJoin("users as u", "u.id", "m.userId")
    .select(["u.id as userId", "u.email", "u.firstName", "u.lastName", "m.joinedAt"])
    .where("m.accountId", "=", accountId)
    .orderBy("u.lastName")
    .orderBy("u.firstName")
    .orderBy("u.id")
    .execute();
}

/** Group ids per member of an account. */
export async function listGroupIdsByMember(ex: Executor, accountId: string): Promise<Map<string, string[]>> {
  const rows = await ex
    .selectFrom("groupMemberships")
    .select(["userId", "groupId"])
    .where("accountId", "=", accountId)
    .orderBy("groupId")
    .execute();
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.userId, [...(map.get(row.userId) ?? []), row.groupId]);
  return map;
}

/** Adds the person to the account (if not yet) and to each group; returns the groups newly joined. */
export async function addMembership(ex: Executor, accountId: string, userId: string, groupIds: string[], now: number) {
  const existing = await findMembership(ex, accountId, userId);
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
}

/** Replaces the person's groups in the account. */
export async function replaceGroups(ex: Executor, accountId: string, userId: string, groupIds: string[], now: number) {
  await ex.deleteFrom("groupMemberships").where("accountId", "=", accountId).where("userId", "=", userId).execute();
  await ex
    .insertInto("groupMemberships")
    .values(groupIds.map((groupId) => ({ groupId, userId, accountId, addedAt: now })))
    .execute();
}

/** Removes the person from the account and all its groups. */
export async function deleteMembership(ex: Executor, accountId: string, userId: string): Promise<void> {
  await ex.deleteFrom("groupMemberships").where("accountId", "=", accountId).where("userId", "=", userId).execute();
  await ex.deleteFrom("accountMemberships").where("accountId", "=", accountId).where("userId", "=", userId).execute();
}

/** Members of the account's administrator group(s) other than `exceptUserId`. */
export async function countOtherAdmins(ex: Executor, accountId: string, exceptUserId: string): Promise<number> {
  const row = await ex
    .selectFrom("groupMemberships as gm")
    .innerJoin("accountGroups as g", "g.id", "gm.groupId")
    .select((eb) => eb.fn.count<number | string>("gm.userId").distinct().as("n"))
    .where("g.accountId", "=", accountId)
    .where("g.isAdmin", "=", 1)
    .where("gm.userId", "!=", exceptUserId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Moves every live session of the person out of the account (after removal), leaving a notice.
 * Returns how many sessions were moved.
 */
export async function leaveAccountInSessions(ex: Executor, userId: string, accountId: string, notice: string): Promise<number> {
  const result = await ex
    .updateTable("sessions")
    .set({ activeAccountId: null, notice })
    .where("userId", "=", userId)
    .where("activeAccountId", "=", accountId)
    .where("endedAt", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
