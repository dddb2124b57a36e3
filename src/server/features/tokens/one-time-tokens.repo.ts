import type { Executor, OneTimeTokensTable } from "../../db/schema.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { newOpaqueId } from "../../lib/ids.js";

/**
 * Single-use tokens mailed as links (password reset, email change, invitation): one table, one
 * set of rules. Only the SHA-256 of a token is stored (OWASP Forgot Password Cheat Sheet: store
 * reset tokens hashed); a token works once, until it expires, and is consumed by compare-and-set
 * so two concurrent requests cannot both use it (Lucia example `lib/server/2fa.ts`).
 */

/** What a token is for (`one_time_tokens.purpose`). */
export type TokenPurpose = "password_reset" | "email_change" | "invitation";

/** A new token to store. */
export interface IssueTokenInput {
  purpose: TokenPurpose;
  userId: string | null;
  email: string | null;
  /** JSON of the purpose (the account and groups of an invitation…), or null. */
  payload: string | null;
  now: number;
  expiresAt: number;
}

/** True while the token is unused and unexpired. */
export function isTokenUsable(row: Pick<OneTimeTokensTable, "usedAt" | "expiresAt">, now: number): boolean {
  return row.usedAt === null && row.expiresAt > now;
}

/** Stores a fresh token's hash and returns the token itself: it goes into the mail, nowhere else. */
export async function issueToken(executor: Executor, input: IssueTokenInput): Promise<string> {
  const token = newToken();
  await executor
    .insertInto("oneTimeTokens")
    .values({
      id: newOpaqueId(),
      tokenHash: hashToken(token),
      purpose: input.purpose,
      userId: input.userId,
      email: input.email,
      payload: input.payload,
      createdAt: input.now,
      expiresAt: input.expiresAt,
      usedAt: null,
    })
    .execute();
  return token;
}

/** The row of this purpose behind a presented token, whatever its state (used, expired), or undefined. */
export function findTokenRow(executor: Executor, purpose: TokenPurpose, token: string): Promise<OneTimeTokensTable | undefined> {
  return executor
    .selectFrom("oneTimeTokens")
    .selectAll()
    .where("tokenHash", "=", hashToken(token))
    .where("purpose", "=", purpose)
    .executeTakeFirst();
}

/** The row behind a presented token while it is still usable, or undefined. */
export async function findUsableToken(
  executor: Executor,
  purpose: TokenPurpose,
  token: string,
  now: number,
): Promise<OneTimeTokensTable | undefined> {
  const row = await findTokenRow(executor, purpose, token);
  return row && isTokenUsable(row, now) ? row : undefined;
}

/**
 * Marks the token used if and only if it still is unused and unexpired (compare-and-set), so two
 * concurrent uses cannot both succeed. True when this call consumed it.
 */
export async function consumeToken(executor: Executor, id: string, now: number): Promise<boolean> {
  const result = await executor
    .updateTable("oneTimeTokens")
    .set({ usedAt: now })
    .where("id", "=", id)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The person's newest usable token of a purpose, if any. */
export function findOpenTokenOfUser(
  executor: Executor,
  purpose: TokenPurpose,
  userId: string,
  now: number,
): Promise<OneTimeTokensTable | undefined> {
  return executor
    .selectFrom("oneTimeTokens")
    .selectAll()
    .where("userId", "=", userId)
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .orderBy("createdAt", "desc")
    .executeTakeFirst();
}

/**
 * Usable tokens of a purpose, oldest first: those sent to `email` and/or whose JSON payload
 * contains `payloadPart` (a LIKE pattern: the caller passes no wildcard and parses to confirm).
 */
export function listOpenTokens(
  executor: Executor,
  purpose: TokenPurpose,
  filter: { email?: string; payloadPart?: string },
  now: number,
): Promise<OneTimeTokensTable[]> {
  let query = executor
    .selectFrom("oneTimeTokens")
    .selectAll()
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now);
  if (filter.email !== undefined) query = query.where("email", "=", filter.email);
  if (filter.payloadPart !== undefined) query = query.where("payload", "like", `%${filter.payloadPart}%`);
  return query.orderBy("createdAt").execute();
}

/** Retires the given tokens (marks them used), e.g. older links a newer one replaces. */
export async function retireTokens(executor: Executor, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await executor.updateTable("oneTimeTokens").set({ usedAt: now }).where("id", "in", ids).where("usedAt", "is", null).execute();
}

/** Retires every unused token of a purpose held by the person (a newer link or a change replaces them). */
export async function retireOpenTokensOfUser(
  executor: Executor,
  purpose: TokenPurpose,
  userId: string,
  now: number,
): Promise<void> {
  await executor
    .updateTable("oneTimeTokens")
    .set({ usedAt: now })
    .where("userId", "=", userId)
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .execute();
}

/**
 * Deletes every unused token of a purpose held by the person. Unlike retiring, a deleted link
 * later reads as unknown rather than as reused (no `authn_token_reuse` event for a superseded link).
 */
export async function deleteOpenTokensOfUser(executor: Executor, purpose: TokenPurpose, userId: string): Promise<void> {
  await executor
    .deleteFrom("oneTimeTokens")
    .where("userId", "=", userId)
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .execute();
}
