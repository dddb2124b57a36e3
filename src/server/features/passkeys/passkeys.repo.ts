import { defineRepo } from "../../db/repo.js";
import type { Executor, PasskeysTable } from "../../db/schema.js";

/*
 * The `passkeys` table: every statement on a person's WebAuthn credentials.
 */

function passkeyStatements(ex: Executor) {
  return {
    /** The person's passkeys, oldest first (at most LIMITS.passkeysMax rows). */
    listForUser(userId: string): Promise<PasskeysTable[]> {
      return ex.selectFrom("passkeys").selectAll().where("userId", "=", userId).orderBy("createdAt").orderBy("id").execute();
    },

    /** How many passkeys the person has (0 when none): part of "has a second factor". */
    async countForUser(userId: string): Promise<number> {
      const row = await ex
        .selectFrom("passkeys")
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .where("userId", "=", userId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** The passkey with this credential id (whoever's it is). */
    findByCredentialId(credentialId: string): Promise<PasskeysTable | undefined> {
      return ex.selectFrom("passkeys").selectAll().where("credentialId", "=", credentialId).executeTakeFirst();
    },

    /** The passkey with this id, if it is the person's. */
    findOwned(userId: string, id: string): Promise<PasskeysTable | undefined> {
      return ex.selectFrom("passkeys").selectAll().where("id", "=", id).where("userId", "=", userId).executeTakeFirst();
    },

    /** The WebAuthn user handle the person's passkeys carry, if they have any. */
    async userHandleOf(userId: string): Promise<string | undefined> {
      const row = await ex.selectFrom("passkeys").select("userHandle").where("userId", "=", userId).executeTakeFirst();
      return row?.userHandle;
    },

    async insert(row: PasskeysTable): Promise<void> {
      await ex.insertInto("passkeys").values(row).execute();
    },

    /** Renames the person's passkey; false when it is not theirs (or gone). */
    async rename(userId: string, id: string, name: string): Promise<boolean> {
      const result = await ex
        .updateTable("passkeys")
        .set({ name })
        .where("id", "=", id)
        .where("userId", "=", userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Removes the person's passkey; false when it is not theirs (or already gone). */
    async delete(userId: string, id: string): Promise<boolean> {
      const result = await ex.deleteFrom("passkeys").where("id", "=", id).where("userId", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** Removes every passkey of the person (an operator's MFA reset); returns how many. */
    async deleteAllForUser(userId: string): Promise<number> {
      const result = await ex.deleteFrom("passkeys").where("userId", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /**
     * Records a use: the new signature counter, only if the stored one is still `expected` (a
     * compare-and-set, so two assertions racing with the same counter cannot both pass), the
     * backup state the authenticator now reports, and the time. False when the row changed.
     */
    async recordUse(
      id: string,
      expected: number,
      update: { counter: number; backedUp: boolean; deviceType: string; at: number },
    ): Promise<boolean> {
      const result = await ex
        .updateTable("passkeys")
        .set({ counter: update.counter, backedUp: update.backedUp ? 1 : 0, deviceType: update.deviceType, lastUsedAt: update.at })
        .where("id", "=", id)
        .where("counter", "=", expected)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export const createPasskeysRepo = defineRepo(passkeyStatements);
export type PasskeysRepo = ReturnType<typeof createPasskeysRepo>;
