import type { OneTimeTokensTable } from "../../db/schema.js";
import type { OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";

/** What an invitation grants, stored as the token's JSON payload. */
export interface InvitationPayload {
  accountId: string;
  groupIds: string[];
  /** The inviting person's name, when a person (not the operator) invited. */
  invitedBy?: string;
}

/** Parses a stored payload; undefined when it is not an invitation's. */
export function parseInvitationPayload(text: string | null): InvitationPayload | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<InvitationPayload>;
    if (typeof value.accountId !== "string" || !Array.isArray(value.groupIds)) return undefined;
    return {
      accountId: value.accountId,
      groupIds: value.groupIds.filter((g): g is string => typeof g === "string"),
      ...(typeof value.invitedBy === "string" ? { invitedBy: value.invitedBy } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Unused, unexpired invitations of one account, optionally only those to one email. The account
 * id lives in the JSON payload, so this narrows with a LIKE on the quoted id (ids are `VA-`/`PA-`
 * digits: no wildcard inside) and the parse confirms.
 */
export async function listOpenInvitationsOfAccount(
  tokens: Pick<OneTimeTokensRepo, "listOpenTokens">,
  accountId: string,
  now: number,
  email?: string,
): Promise<Array<{ row: OneTimeTokensTable; payload: InvitationPayload }>> {
  const rows = await tokens.listOpenTokens("invitation", { email, payloadPart: `"${accountId}"` }, now);
  return rows.flatMap((row) => {
    const payload = parseInvitationPayload(row.payload);
    return payload?.accountId === accountId ? [{ row, payload }] : [];
  });
}
