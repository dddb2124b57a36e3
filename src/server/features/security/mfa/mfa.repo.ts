import { defineRepo } from "../../../db/repo.js";
import type { Executor, MfaFactorsTable, RecoveryCodesTable } from "../../../db/schema.js";
import { newOpaqueId } from "../../../lib/ids.js";

const TOTP = "totp";

/*
 * The `mfa_factors` and `recovery_codes` tables: every statement on a person's second factors.
 */

function mfaStatements(ex: Executor) {
  return {
    /** True when the person has a confirmed authenticator: sign-in needs the code step. */
    async hasConfirmedTotp(userId: string): Promise<boolean> {
      const row = await ex
        .selectFrom("mfaFactors")
        .select("id")
        .where("userId", "=", userId)
        .where("type", "=", TOTP)
        .where("confirmedAt", "is not", null)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Up to `limit` secrets encrypted under a key version outside `versions` (`v<version>.`
     * prefixes a ciphertext, lib/crypto/encrypt.ts; digits and dots need no LIKE escaping).
     */
    async findSecretsOutsideKeyVersions(versions: readonly number[], limit: number): Promise<string[]> {
      let query = ex.selectFrom("mfaFactors").select("secretEncrypted");
      for (const version of versions) query = query.where("secretEncrypted", "not like", `v${version}.%`);
      return (await query.limit(limit).execute()).map((row) => row.secretEncrypted);
    },

    /** Up to `limit` secrets encrypted under one key version (a sample for the key check at start). */
    async findSecretsUnderKeyVersion(version: number, limit: number): Promise<string[]> {
      const rows = await ex
        .selectFrom("mfaFactors")
        .select("secretEncrypted")
        .where("secretEncrypted", "like", `v${version}.%`)
        .limit(limit)
        .execute();
      return rows.map((row) => row.secretEncrypted);
    },

    /** The person's TOTP factor, confirmed or awaiting its first code. */
    findTotpFactor(userId: string): Promise<MfaFactorsTable | undefined> {
      return ex.selectFrom("mfaFactors").selectAll().where("userId", "=", userId).where("type", "=", TOTP).executeTakeFirst();
    },

    /**
     * Stores a new, unconfirmed enrollment, replacing an unconfirmed one (one row per person and
     * type). Never touches a confirmed factor: returns false when one exists. A single upsert, so
     * two concurrent setups cannot both insert.
     */
    async saveUnconfirmedTotp(input: { userId: string; secretEncrypted: string; now: number }): Promise<boolean> {
      const result = await ex
        .insertInto("mfaFactors")
        .values({
          id: newOpaqueId(),
          userId: input.userId,
          type: TOTP,
          secretEncrypted: input.secretEncrypted,
          confirmedAt: null,
          lastUsedStep: 0,
          createdAt: input.now,
        })
        .onConflict((oc) =>
          oc
            .columns(["userId", "type"])
            .doUpdateSet({ secretEncrypted: input.secretEncrypted, lastUsedStep: 0, createdAt: input.now })
            .where("mfaFactors.confirmedAt", "is", null),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /**
     * The replay guard (RFC 6238 §5.2, checklist B3): records `step` as used only if it is newer than
     * the last used one, in ONE conditional UPDATE. Concurrent callers (threads, processes, nodes on
     * one PostgreSQL) serialize on the row, and the loser re-reads `last_used_step` and matches
     * nothing, so exactly one of them gets `true`. The row must still hold the secret the code was
     * checked against (a setup in another tab may have replaced it meanwhile). `confirm` also
     * switches an enrollment on.
     */
    async claimTotpStep(
      factor: Pick<MfaFactorsTable, "id" | "secretEncrypted">,
      step: number,
      options: { confirm?: { at: number } } = {},
    ): Promise<boolean> {
      let query = ex
        .updateTable("mfaFactors")
        .set({ lastUsedStep: step, ...(options.confirm ? { confirmedAt: options.confirm.at } : {}) })
        .where("id", "=", factor.id)
        .where("secretEncrypted", "=", factor.secretEncrypted)
        .where("lastUsedStep", "<", step);
      query = options.confirm ? query.where("confirmedAt", "is", null) : query.where("confirmedAt", "is not", null);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Removes the person's TOTP factor (confirmed or not); its secret is gone for good. */
    async deleteTotpFactor(userId: string): Promise<number> {
      const result = await ex.deleteFrom("mfaFactors").where("userId", "=", userId).where("type", "=", TOTP).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Replaces every recovery code of the person with new stored hashes (old ones stop working). */
    async replaceRecoveryCodes(userId: string, stored: string[], now: number): Promise<void> {
      await ex.deleteFrom("recoveryCodes").where("userId", "=", userId).execute();
      if (stored.length === 0) return;
      await ex
        .insertInto("recoveryCodes")
        .values(stored.map((codeHash) => ({ id: newOpaqueId(), userId, codeHash, usedAt: null, createdAt: now })))
        .execute();
    },

    /** Deletes every recovery code of the person. */
    async deleteRecoveryCodes(userId: string): Promise<void> {
      await ex.deleteFrom("recoveryCodes").where("userId", "=", userId).execute();
    },

    /** Every recovery code of the person, used or not (at most ten rows). */
    listRecoveryCodes(userId: string): Promise<RecoveryCodesTable[]> {
      return ex.selectFrom("recoveryCodes").selectAll().where("userId", "=", userId).execute();
    },

    /** Codes not used yet (at most ten rows). */
    listUnusedRecoveryCodes(userId: string): Promise<RecoveryCodesTable[]> {
      return ex.selectFrom("recoveryCodes").selectAll().where("userId", "=", userId).where("usedAt", "is", null).execute();
    },

    /** How many codes are left. */
    async countUnusedRecoveryCodes(userId: string): Promise<number> {
      const row = await ex
        .selectFrom("recoveryCodes")
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .where("userId", "=", userId)
        .where("usedAt", "is", null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Marks a code used, once: true for exactly one caller even under concurrency. */
    async claimRecoveryCode(codeId: string, now: number): Promise<boolean> {
      const result = await ex
        .updateTable("recoveryCodes")
        .set({ usedAt: now })
        .where("id", "=", codeId)
        .where("usedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export const createMfaRepo = defineRepo(mfaStatements);
export type MfaRepo = ReturnType<typeof createMfaRepo>;
