import { defineRepo } from "../../db/repo.js";
import type { Executor, OidcStateTable } from "../../db/schema.js";

/** The indexed columns of a provider object besides its payload (what lookups and revocation use). */
export type OidcStateColumns = Pick<OidcStateTable, "grantId" | "uid" | "accountId" | "clientId" | "sessionId" | "expiresAt">;

/**
 * The `oidc_state` table: every object of the OpenID provider (codes, tokens, grants,
 * interactions, its sessions), keyed by model and the SHA-256 of its id (an opaque token's id is
 * the token itself, so it is never stored).
 */
function oidcStateStatements(ex: Executor) {
  return {
    async upsert(model: string, idHash: string, payload: string, columns: OidcStateColumns): Promise<void> {
      await ex
        .insertInto("oidcState")
        .values({ model, idHash, payload, consumedAt: null, ...columns })
        .onConflict((oc) => oc.columns(["model", "idHash"]).doUpdateSet({ payload, ...columns }))
        .execute();
    },

    find(model: string, idHash: string): Promise<Pick<OidcStateTable, "payload" | "expiresAt" | "consumedAt"> | undefined> {
      return ex
        .selectFrom("oidcState")
        .select(["payload", "expiresAt", "consumedAt"])
        .where("model", "=", model)
        .where("idHash", "=", idHash)
        .executeTakeFirst();
    },

    findByUid(
      model: string,
      uid: string,
    ): Promise<Pick<OidcStateTable, "idHash" | "payload" | "expiresAt" | "consumedAt"> | undefined> {
      return ex
        .selectFrom("oidcState")
        .select(["idHash", "payload", "expiresAt", "consumedAt"])
        .where("model", "=", model)
        .where("uid", "=", uid)
        .executeTakeFirst();
    },

    /** The Profile Center session a provider Session (by uid) was made for. */
    async sessionIdOfUid(uid: string): Promise<string | null | undefined> {
      const row = await ex
        .selectFrom("oidcState")
        .select("sessionId")
        .where("model", "=", "Session")
        .where("uid", "=", uid)
        .executeTakeFirst();
      return row?.sessionId;
    },

    /** The Profile Center session a provider Session (by the hash of its cookie value) was made for. */
    async sessionIdOfHash(idHash: string): Promise<string | null | undefined> {
      const row = await ex
        .selectFrom("oidcState")
        .select("sessionId")
        .where("model", "=", "Session")
        .where("idHash", "=", idHash)
        .executeTakeFirst();
      return row?.sessionId;
    },

    /** Marks an object consumed; false when it already was (two redemptions raced: one loses). */
    async consume(model: string, idHash: string, at: number): Promise<boolean> {
      const result = await ex
        .updateTable("oidcState")
        .set({ consumedAt: at })
        .where("model", "=", model)
        .where("idHash", "=", idHash)
        .where("consumedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async destroy(model: string, idHash: string): Promise<void> {
      await ex.deleteFrom("oidcState").where("model", "=", model).where("idHash", "=", idHash).execute();
    },

    /** Everything issued under a grant (and the grant itself): codes, tokens. */
    async revokeByGrantId(grantId: string): Promise<number> {
      const result = await ex.deleteFrom("oidcState").where("grantId", "=", grantId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** The grants of a person for a client (Disconnect). */
    async grantIdsOf(accountId: string, clientId: string): Promise<string[]> {
      const rows = await ex
        .selectFrom("oidcState")
        .select("grantId")
        .where("accountId", "=", accountId)
        .where("clientId", "=", clientId)
        .where("model", "=", "Grant")
        .execute();
      return rows.map((r) => r.grantId).filter((g): g is string => g !== null);
    },

    /** Everything of a client (the operator deleted it). */
    async deleteByClient(clientId: string): Promise<void> {
      const grants = ex.selectFrom("oidcState").select("grantId").where("clientId", "=", clientId).where("model", "=", "Grant");
      await ex.deleteFrom("oidcState").where("grantId", "in", grants).execute();
      await ex.deleteFrom("oidcState").where("clientId", "=", clientId).execute();
    },

    /** Expired objects, up to `limit` per call (the hourly pruning). */
    async deleteExpired(before: number, limit: number): Promise<number> {
      const batch = ex
        .selectFrom("oidcState")
        .select("idHash")
        .where("expiresAt", "is not", null)
        .where("expiresAt", "<", before)
        .limit(limit);
      const result = await ex.deleteFrom("oidcState").where("idHash", "in", batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export const createOidcStateRepo = defineRepo(oidcStateStatements);
export type OidcStateRepo = ReturnType<typeof createOidcStateRepo>;
