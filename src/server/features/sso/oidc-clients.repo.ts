import { defineRepo } from "../../db/repo.js";
import type { Executor, OidcClientsTable, OidcKeysTable } from "../../db/schema.js";

/** The `oidc_clients` table (relying parties) and `oidc_keys` (signing and cookie keys, encrypted). */
function oidcClientsStatements(ex: Executor) {
  return {
    async insert(row: OidcClientsTable): Promise<void> {
      await ex.insertInto("oidcClients").values(row).execute();
    },

    find(clientId: string): Promise<OidcClientsTable | undefined> {
      return ex.selectFrom("oidcClients").selectAll().where("clientId", "=", clientId).executeTakeFirst();
    },

    list(): Promise<OidcClientsTable[]> {
      return ex.selectFrom("oidcClients").selectAll().orderBy("createdAt").orderBy("clientId").execute();
    },

    async update(clientId: string, changes: Partial<Omit<OidcClientsTable, "clientId" | "createdAt">>): Promise<boolean> {
      const result = await ex.updateTable("oidcClients").set(changes).where("clientId", "=", clientId).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async delete(clientId: string): Promise<boolean> {
      const result = await ex.deleteFrom("oidcClients").where("clientId", "=", clientId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** Every key, oldest first. */
    listKeys(): Promise<OidcKeysTable[]> {
      return ex.selectFrom("oidcKeys").selectAll().orderBy("createdAt").orderBy("kid").execute();
    },

    async insertKey(row: OidcKeysTable): Promise<void> {
      await ex.insertInto("oidcKeys").values(row).execute();
    },

    /** Sets when the signing keys still signing (other than `exceptKid`) stop being published. */
    async retireSigningKeys(exceptKid: string, retireAt: number): Promise<void> {
      await ex
        .updateTable("oidcKeys")
        .set({ retireAt })
        .where("kind", "=", "signing")
        .where("kid", "!=", exceptKid)
        .where("retireAt", "is", null)
        .execute();
    },

    /** Keys no longer published (their tokens have all expired). */
    async deleteRetiredKeys(before: number): Promise<void> {
      await ex.deleteFrom("oidcKeys").where("retireAt", "is not", null).where("retireAt", "<", before).execute();
    },
  };
}

export const createOidcClientsRepo = defineRepo(oidcClientsStatements);
export type OidcClientsRepo = ReturnType<typeof createOidcClientsRepo>;
