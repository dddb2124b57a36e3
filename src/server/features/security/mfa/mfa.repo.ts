import type { Executor, MfaFactorsTable, RecoveryCodesTable } from "../../../db/schema.js";
import { newOpaqueId } from "../../../lib/ids.js";

export type { Executor };

const TOTP = "totp";

/** The person's TOTP factor, confirmed or awaiting its first code. */
export function findTotpFactor(executor: Executor, userId: string): Promise<MfaFactorsTable | undefined> {
  return executor.selectFrom("mfaFactors").selectAll().where("userId", "=", userId).where("type", "=", TOTP).executeTakeFirst();
}

/**
 * Stores a new, unconfirmed enrollment, replacing an unconfirmed one (one row per person and
 * type). Never touches a confirmed factor: returns false when one exists. A single upsert, so
 * two concurrent setups cannot both insert.
 */
export async function saveUnconfirmedTotp(
  executor: Executor,
  input: { userId: string; secretEncrypted: string; now: number },
): Promise<boolean> {
  const result = await executor
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
}

/**
 * The replay guard (RFC 6238 §5.2, checklist B3): records `step` as used only if it is newer than
 * the last used one, in ONE conditional UPDATE. Concurrent callers (threads, processes, nodes on
 * one PostgreSQL) serialize on the row, and the loser re-reads `last_used_step` and matches
 * nothing, so exactly one of them gets `true`. The row must still hold the secret the code was
 * checked against (a setup in another tab may have replaced it meanwhile). `confirm` also
 * switches an enrollment on.
 */
export async function claimTotpStep(
  executor: Executor,
  factor: Pick<MfaFactorsTable, "id" | "secretEncrypted">,
  step: number,
  options: { confirm?: { at: number } } = {},
): Promise<boolean> {
  let query = executor
    .updateTable("mfaFactors")
    .set({ lastUsedStep: step, ...(options.confirm ? { confirmedAt: options.confirm.at } : {}) })
    .where("id", "=", factor.id)
    .where("secretEncrypted", "=", factor.secretEncrypted)
    .where("lastUsedStep", "<", step);
  query = options.confirm ? query.where("confirmedAt", "is", null) : query.where("confirmedAt", "is not", null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes the person's TOTP factor (confirmed or not); its secret is gone for good. */
export async function deleteTotpFactor(executor: Executor, userId: string): Promise<number> {
  const result = await executor.deleteFrom("mfaFactors").where("userId", "=", userId).where("type", "=", TOTP).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Replaces every recovery code of the person with new stored hashes (old ones stop working). */
export async function replaceRecoveryCodes(executor: Executor, userId: string, stored: string[], now: number): Promise<void> {
  await deleteRecoveryCodes(executor, userId);
  if (stored.length === 0) return;
  await executor
    .insertInto("recoveryCodes")
    .values(stored.map((codeHash) => ({ id: newOpaqueId(), userId, codeHash, usedAt: null, createdAt: now })))
    .execute();
}

/** Deletes every recovery code of the person. */
export async function deleteRecoveryCodes(executor: Executor, userId: string): Promise<void> {
  await executor.deleteFrom("recoveryCodes").where("userId", "=", userId).execute();
}

/** Codes not used yet (at most ten rows). */
export function listUnusedRecoveryCodes(executor: Executor, userId: string): Promise<RecoveryCodesTable[]> {
  return executor.selectFrom("recoveryCodes").selectAll().where("userId", "=", userId).where("usedAt", "is", null).execute();
}

/** How many codes are left. */
export async function countUnusedRecoveryCodes(executor: Executor, userId: string): Promise<number> {
  const row = await executor
    .selectFrom("recoveryCodes")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("userId", "=", userId)
    .where("usedAt", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks a code used, once: true for exactly one caller even under concurrency. */
export async function claimRecoveryCode(executor: Executor, codeId: string, now: number): Promise<boolean> {
  const result = await executor
    .updateTable("recoveryCodes")
    .set({ usedAt: now })
    .where("id", "=", codeId)
    .where("usedAt", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
