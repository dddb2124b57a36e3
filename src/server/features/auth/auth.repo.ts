import type { Kysely } from "kysely";
import type { Database, OneTimeTokensTable, UsersTable } from "../../db/schema.js";

/** A Kysely instance or an open transaction. */
export type Executor = Kysely<Database>;

/** `one_time_tokens.purpose` of a password-reset link. */
export const PASSWORD_RESET_PURPOSE = "password_reset";

/** Queries of sign-in and password reset (Kysely only). */
export function createAuthRepo() {
  /** The person with this (lower-cased) email, or undefined. */
  function findUserByEmail(executor: Executor, email: string): Promise<UsersTable | undefined> {
    return executor.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  }

  function findUserById(executor: Executor, id: string): Promise<UsersTable | undefined> {
    return executor.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** True when the person has a confirmed authenticator (TOTP), i.e. sign-in needs the code step. */
  async function hasConfirmedMfa(executor: Executor, userId: string): Promise<boolean> {
    const row = await executor
      .selectFrom("mfaFactors")
      .select("id")
      .where("userId", "=", userId)
      .where("type", "=", "totp")
      .where("confirmedAt", "is not", null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Stores a new password hash; `changedAt` is set when the password itself changed (not a rehash). */
  async function setPasswordHash(executor: Executor, userId: string, hash: string, now: number, changed: boolean) {
    await executor
      .updateTable("users")
      .set({ passwordHash: hash, ...(changed ? { passwordChangedAt: now, updatedAt: now } : {}) })
      .where("id", "=", userId)
      .execute();
  }

  async function insertOneTimeToken(executor: Executor, row: OneTimeTokensTable): Promise<void> {
    await executor.insertInto("oneTimeTokens").values(row).execute();
  }

  /** Marks every unused token of a purpose for a person as used (a newer link replaces them). */
  async function retireOpenTokens(executor: Executor, userId: string, purpose: string, now: number): Promise<void> {
    await executor
      .updateTable("oneTimeTokens")
      .set({ usedAt: now })
      .where("userId", "=", userId)
      .where("purpose", "=", purpose)
      .where("usedAt", "is", null)
      .execute();
  }

  /** The unused, unexpired token with this hash and purpose, or undefined. */
  function findUsableToken(executor: Executor, tokenHash: string, purpose: string, now: number) {
    return executor
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("tokenHash", "=", tokenHash)
      .where("purpose", "=", purpose)
      .where("usedAt", "is", null)
      .where("expiresAt", ">", now)
      .executeTakeFirst();
  }

  /** Compare-and-set: true only for the one caller that marks the token used. */
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

  return {
    findUserByEmail,
    findUserById,
    hasConfirmedMfa,
    setPasswordHash,
    insertOneTimeToken,
    retireOpenTokens,
    findUsableToken,
    consumeToken,
  };
}

export type AuthRepo = ReturnType<typeof createAuthRepo>;
