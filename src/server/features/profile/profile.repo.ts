import type { Kysely, Updateable } from "kysely";
import type { Database, OneTimeTokensTable, UsersTable } from "../../db/schema.js";

/** A Kysely instance or an open transaction. */
export type Executor = Kysely<Database>;

/** The purpose of the one-time tokens of an email change (payload: the new address as JSON). */
export const EMAIL_CHANGE_PURPOSE = "email_change";

/** Kysely queries of the General section (users + email-change tokens). */
export function createProfileRepo() {
  /** The user row, or undefined. */
  async function findUserById(executor: Executor, userId: string): Promise<UsersTable | undefined> {
    return executor.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  }

  /** True when another user already holds this (lower-cased) address. */
  async function isEmailTaken(executor: Executor, email: string, exceptUserId?: string): Promise<boolean> {
    let query = executor.selectFrom("users").select("id").where("email", "=", email);
    if (exceptUserId) query = query.where("id", "!=", exceptUserId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  /** Writes the given columns of one user. */
  async function updateUser(executor: Executor, userId: string, values: Updateable<UsersTable>): Promise<void> {
    await executor.updateTable("users").set(values).where("id", "=", userId).execute();
  }

  /** The user's unused, unexpired email-change token, if any (at most one is kept). */
  async function findPendingEmailChange(
    executor: Executor,
    userId: string,
    now: number,
  ): Promise<OneTimeTokensTable | undefined> {
    return executor
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("userId", "=", userId)
      .where("purpose", "=", EMAIL_CHANGE_PURPOSE)
      .where("usedAt", "is", null)
      .where("expiresAt", ">", now)
      .orderBy("createdAt", "desc")
      .executeTakeFirst();
  }

  /** Deletes every unused email-change token of the user (a new request replaces them). */
  async function deletePendingEmailChanges(executor: Executor, userId: string): Promise<void> {
    await executor
      .deleteFrom("oneTimeTokens")
      .where("userId", "=", userId)
      .where("purpose", "=", EMAIL_CHANGE_PURPOSE)
      .where("usedAt", "is", null)
      .execute();
  }

  /** Stores a new one-time token row. */
  async function insertToken(executor: Executor, row: OneTimeTokensTable): Promise<void> {
    await executor.insertInto("oneTimeTokens").values(row).execute();
  }

  /** The email-change token with this hash, whatever its state. */
  async function findEmailChangeByHash(executor: Executor, tokenHash: string): Promise<OneTimeTokensTable | undefined> {
    return executor
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("tokenHash", "=", tokenHash)
      .where("purpose", "=", EMAIL_CHANGE_PURPOSE)
      .executeTakeFirst();
  }

  /**
   * Marks the token used if and only if it still is unused and unexpired (compare-and-set), so two
   * concurrent confirmations cannot both succeed. True when this call consumed it.
   */
  async function consumeToken(executor: Executor, id: string, now: number): Promise<boolean> {
    const result = await executor
      .updateTable("oneTimeTokens")
      .set({ usedAt: now })
      .where("id", "=", id)
      .where("usedAt", "is", null)
      .where("expiresAt", ">", now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** True when the user has a confirmed authenticator (the `mfaEnabled` of the user JSON). */
  async function hasConfirmedMfa(executor: Executor, userId: string): Promise<boolean> {
    const row = await executor
      .selectFrom("mfaFactors")
      .select("id")
      .where("userId", "=", userId)
      .where("confirmedAt", "is not", null)
      .executeTakeFirst();
    return row !== undefined;
  }

  return {
    findUserById,
    hasConfirmedMfa,
    isEmailTaken,
    updateUser,
    findPendingEmailChange,
    deletePendingEmailChanges,
    insertToken,
    findEmailChangeByHash,
    consumeToken,
  };
}

export type ProfileRepo = ReturnType<typeof createProfileRepo>;
