import { defineRepo } from "../../db/repo.js";
import type { Executor, OneTimeTokensTable } from "../../db/schema.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { newOpaqueId } from "../../lib/ids.js";

/**
 * Single-use tokens mailed as links (password reset, email change, invitation, lockdown): one table, one
 * set of rules. Only the SHA-256 of a token is stored (OWASP Forgot Password Cheat Sheet: store
 * reset tokens hashed); a token works once, until it expires, and is consumed by compare-and-set
 * so two concurrent requests cannot both use it (Lucia example `lib/server/2fa.ts`).
 */

/** What a token is for (`one_time_tokens.purpose`). */
export type TokenPurpose = "password_reset" | "email_change" | "email_verification" | "invitation" | "lockdown";

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

function oneTimeTokensStatements(ex: Executor) {
  /** The row of this purpose behind a presented token, whatever its state (used, expired), or undefined. */
  function findTokenRow(purpose: TokenPurpose, token: string): Promise<OneTimeTokensTable | undefined> {
    return ex
      .selectFrom("oneTimeTokens")
      .selectAll()
      .where("tokenHash", "=", hashToken(token))
      .where("purpose", "=", purpose)
      .executeTakeFirst();
  }

  /** Deletes up to `limit` rows chosen by `batch` (an indexed `id IN (SELECT … LIMIT n)`: no statement holds locks for long). */
  async function deleteBatch(batch: ReturnType<typeof idsWhere>): Promise<number> {
    const result = await ex.deleteFrom("oneTimeTokens").where("id", "in", batch).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  const idsWhere = (limit: number) => ex.selectFrom("oneTimeTokens").select("id").limit(limit);

  return {
    findTokenRow,

    /** Single-use tokens that expired before `cutoff`, up to `limit` per call (`one_time_tokens_expires_idx`). */
    deleteExpiredBefore(cutoff: number, limit: number): Promise<number> {
      return deleteBatch(idsWhere(limit).where("expiresAt", "<", cutoff));
    },

    /** Single-use tokens used before `cutoff`, up to `limit` per call (`one_time_tokens_used_idx`). */
    deleteUsedBefore(cutoff: number, limit: number): Promise<number> {
      return deleteBatch(idsWhere(limit).where("usedAt", "<", cutoff));
    },

    /** Stores a fresh token's hash and returns the token itself: it goes into the mail, nowhere else. */
    async issueToken(input: IssueTokenInput): Promise<string> {
      const token = newToken();
      await ex
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
    },

    /** The row behind a presented token while it is still usable, or undefined. */
    async findUsableToken(purpose: TokenPurpose, token: string, now: number): Promise<OneTimeTokensTable | undefined> {
      const row = await findTokenRow(purpose, token);
      return row && isTokenUsable(row, now) ? row : undefined;
    },

    /**
     * Marks the token used if and only if it still is unused and unexpired (compare-and-set), so two
     * concurrent uses cannot both succeed. True when this call consumed it.
     */
    async consumeToken(id: string, now: number): Promise<boolean> {
      const result = await ex
        .updateTable("oneTimeTokens")
        .set({ usedAt: now })
        .where("id", "=", id)
        .where("usedAt", "is", null)
        .where("expiresAt", ">", now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The person's newest usable token of a purpose, if any. */
    findOpenTokenOfUser(purpose: TokenPurpose, userId: string, now: number): Promise<OneTimeTokensTable | undefined> {
      return ex
        .selectFrom("oneTimeTokens")
        .selectAll()
        .where("userId", "=", userId)
        .where("purpose", "=", purpose)
        .where("usedAt", "is", null)
        .where("expiresAt", ">", now)
        .orderBy("createdAt", "desc")
        .executeTakeFirst();
    },

    /**
     * Usable tokens of a purpose, oldest first: those sent to `email` and/or whose JSON payload
     * contains `payloadPart` (a LIKE pattern: the caller passes no wildcard and parses to confirm).
     */
    listOpenTokens(
      purpose: TokenPurpose,
      filter: { email?: string; payloadPart?: string },
      now: number,
    ): Promise<OneTimeTokensTable[]> {
      let query = ex
        .selectFrom("oneTimeTokens")
        .selectAll()
        .where("purpose", "=", purpose)
        .where("usedAt", "is", null)
        .where("expiresAt", ">", now);
      if (filter.email !== undefined) query = query.where("email", "=", filter.email);
      if (filter.payloadPart !== undefined) query = query.where("payload", "like", `%${filter.payloadPart}%`);
      return query.orderBy("createdAt").execute();
    },

    /**
     * The links mailed about the person (held by them, or sent to their address), oldest first,
     * without the token hash (the data export).
     */
    listAboutPerson(userId: string, email: string) {
      return ex
        .selectFrom("oneTimeTokens")
        .select(["id", "purpose", "email", "payload", "createdAt", "expiresAt", "usedAt"])
        .where((eb) => eb.or([eb("userId", "=", userId), eb("email", "=", email)]))
        .orderBy("createdAt")
        .orderBy("id")
        .execute();
    },

    /** Retires the given tokens (marks them used), e.g. older links a newer one replaces. */
    async retireTokens(ids: string[], now: number): Promise<void> {
      if (ids.length === 0) return;
      await ex.updateTable("oneTimeTokens").set({ usedAt: now }).where("id", "in", ids).where("usedAt", "is", null).execute();
    },

    /** Retires every unused token of a purpose held by the person (a newer link or a change replaces them). */
    async retireOpenTokensOfUser(purpose: TokenPurpose, userId: string, now: number): Promise<void> {
      await ex
        .updateTable("oneTimeTokens")
        .set({ usedAt: now })
        .where("userId", "=", userId)
        .where("purpose", "=", purpose)
        .where("usedAt", "is", null)
        .execute();
    },

    /**
     * Deletes every unused token of a purpose held by the person. Unlike retiring, a deleted link
     * later reads as unknown rather than as reused (no `authn_token_reuse` event for a superseded link).
     */
    async deleteOpenTokensOfUser(purpose: TokenPurpose, userId: string): Promise<void> {
      await ex
        .deleteFrom("oneTimeTokens")
        .where("userId", "=", userId)
        .where("purpose", "=", purpose)
        .where("usedAt", "is", null)
        .execute();
    },
  };
}

export const createOneTimeTokensRepo = defineRepo(oneTimeTokensStatements);
export type OneTimeTokensRepo = ReturnType<typeof createOneTimeTokensRepo>;
