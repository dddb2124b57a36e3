import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

/** Accounts the person belongs to whose MFA policy is `required` (MFA cannot be turned off while any exist). */
export function findAccountsRequiringMfa(db: Kysely<Database>, userId: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom("accountMemberships as m")
    .innerJoin("accounts as a", "a.id", "m.accountId")
    .select(["a.id", "a.name"])
    .where("m.userId", "=", userId)
    .where("a.mfaPolicy", "=", "required")
    .orderBy("a.name")
    .execute();
}

/**
 * Accounts where the person is the only member of the Administrators group: every account keeps
 * at least one administrator, so they cannot leave or delete themselves.
 */
export async function findSoleAdminAccounts(db: Kysely<Database>, userId: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await db
    .selectFrom("groupMemberships as gm")
    .innerJoin("accountGroups as g", "g.id", "gm.groupId")
    .innerJoin("accounts as a", "a.id", "g.accountId")
    .select(["a.id", "a.name", "g.id as groupId"])
    .where("gm.userId", "=", userId)
    .where("g.isAdmin", "=", 1)
    .execute();
  const sole: Array<{ id: string; name: string }> = [];
  for (const row of rows) {
    const others = await db
      .selectFrom("groupMemberships")
      .select("userId")
      .where("groupId", "=", row.groupId)
      .where("userId", "!=", userId)
      .limit(1)
      .executeTakeFirst();
    if (!others) sole.push({ id: row.id, name: row.name });
  }
  return sole.sort((a, b) => a.name.localeCompare(b.name));
}
