import type { OneTimeTokensTable } from "../../db/schema.js";
import type { Executor } from "./accounts.repo.js";

/** `one_time_tokens.purpose` of an invitation. */
export const INVITATION_PURPOSE = "invitation";

/** What an invitation grants, stored as the token's JSON payload. */
export interface InvitationPayload {
  accountId: string;
  groupIds: string[];
}

/** Parses a stored payload; undefined when it is not an invitation's. */
export function parseInvitationPayload(text: string | null): InvitationPayload | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<InvitationPayload>;
    if (typeof value.accountId !== "string" || !Array.isArray(value.groupIds)) return undefined;
    return { accountId: value.accountId, groupIds: value.groupIds.filter((g): g is string => typeof g === "string") };
  } catch {
    return undefined;
  }
}

export async function insertInvitation(ex: Executor, row: OneTimeTokensTable): Promise<void> {
  await ex.insertInto("oneTimeTokens").values(row).execute();
}

/** Unused, unexpired invitations for one email (any account). */
export function listOpenInvitationsByEmail(ex: Executor, email: string, now: number): Promise<OneTimeTokensTable[]> {
  return ex
    .selectFrom("oneTimeTokens")
    .selectAll()
    .where("purpose", "=", INVITATION_PURPOSE)
    .where("email", "=", email)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .execute();
}

/**
 * Unused, unexpired invitations of one account. The account id lives in the JSON payload, so
 * this narrows with a LIKE on the quoted id (ids are `VA-`/`PA-` digits: no wildcard inside)
 * and the caller's parse confirms.
 */
export async function listOpenInvitationsOfAccount(ex: Executor, accountId: string, now: number) {
  const rows = await ex
    .selectFrom("oneTimeTokens")
    .selectAll()
    .where("purpose", "=", INVITATION_PURPOSE)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .where("payload", "like", `%"${accountId}"%`)
    .orderBy("createdAt")
    .execute();
  return rows.flatMap((row) => {
    const payload = parseInvitationPayload(row.payload);
    return payload?.accountId === accountId ? [{ row, payload }] : [];
  });
}

/** Withdraws invitations (an older invitation replaced by a newer one). */
export async function withdrawInvitations(ex: Executor, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await ex.updateTable("oneTimeTokens").set({ usedAt: now }).where("id", "in", ids).where("usedAt", "is", null).execute();
}

export function findInvitationByHash(ex: Executor, tokenHash: string): Promise<OneTimeTokensTable | undefined> {
  return ex
    .selectFrom("oneTimeTokens")
    .selectAll()
    .where("tokenHash", "=", tokenHash)
    .where("purpose", "=", INVITATION_PURPOSE)
    .executeTakeFirst();
}

/** Marks the invitation used, once: false when another request used it first (compare-and-set). */
export async function consumeInvitation(ex: Executor, id: string, now: number): Promise<boolean> {
  const result = await ex
    .updateTable("oneTimeTokens")
    .set({ usedAt: now })
    .where("id", "=", id)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
