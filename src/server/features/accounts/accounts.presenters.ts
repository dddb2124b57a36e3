import type {
  AccountNoticeDto,
  AccountType,
  InvitationPreviewDto,
  MfaPolicy,
  MyAccountDto,
} from "../../../contracts/accounts.js";
import type { AdminAccountDetailDto, AdminAccountDto, AdminGroupDto, AdminMemberDto } from "../../../contracts/admin.js";
import type { AccountGroupsTable, AccountsTable } from "../../db/schema.js";
import { toIso } from "../../lib/clock.js";
import type { MemberRow } from "./accounts.repo.js";
import type { MyAccountRow } from "./my-accounts.repo.js";
import type { InvitationPreview } from "./invitations.service.js";

/** True when the person meets the account's MFA policy (`optional` always; else MFA must be on). */
export function isCompliant(policy: string, mfaEnabled: boolean): boolean {
  return policy === "optional" || mfaEnabled;
}

/** One row of `GET /api/v1/me/accounts`. */
export function presentMyAccount(
  row: MyAccountRow,
  groups: Array<{ id: string; name: string }>,
  context: { mfaEnabled: boolean; activeAccountId: string | null },
): MyAccountDto {
  return {
    id: row.id,
    name: row.name,
    type: row.type as AccountType,
    groups,
    joinedAt: toIso(row.joinedAt),
    mfaPolicy: row.mfaPolicy as MfaPolicy,
    compliant: isCompliant(row.mfaPolicy, context.mfaEnabled),
    active: row.id === context.activeAccountId,
  };
}

/** The session notice as stored (JSON text). */
export interface StoredNotice {
  code: AccountNoticeDto["code"];
  accountId: string;
  accountName: string;
  at: number;
}

/** Serialises a notice for `sessions.notice`. */
export function serializeNotice(notice: StoredNotice): string {
  return JSON.stringify(notice);
}

const NOTICE_MESSAGES: Record<AccountNoticeDto["code"], (name: string) => string> = {
  account_policy_enforced: (name) =>
    `${name} now requires multi-factor authentication, so you were moved out of it. Set up MFA to enter it again.`,
  membership_removed: (name) => `You are no longer a member of ${name}.`,
};

/** The session's notice for the page; null when none (or unreadable). */
export function presentNotice(text: string | null): AccountNoticeDto | null {
  if (!text) return null;
  try {
    const n = JSON.parse(text) as Partial<StoredNotice>;
    if (!n.code || !(n.code in NOTICE_MESSAGES) || typeof n.accountId !== "string" || typeof n.accountName !== "string")
      return null;
    return {
      code: n.code,
      accountId: n.accountId,
      accountName: n.accountName,
      message: NOTICE_MESSAGES[n.code](n.accountName),
      at: toIso(typeof n.at === "number" ? n.at : 0),
    };
  } catch {
    return null;
  }
}

export function presentGroup(group: AccountGroupsTable): AdminGroupDto {
  return { id: group.id, name: group.name, admin: group.isAdmin === 1 };
}

/** An account as the operator API returns it. */
export function presentAdminAccount(account: AccountsTable, groups: AccountGroupsTable[]): AdminAccountDto {
  return {
    id: account.id,
    name: account.name,
    type: account.type as AccountType,
    mfaPolicy: account.mfaPolicy as MfaPolicy,
    groups: groups.map(presentGroup),
    createdAt: toIso(account.createdAt),
  };
}

export function presentMember(member: MemberRow, groupIds: string[]): AdminMemberDto {
  return {
    userId: member.userId,
    email: member.email,
    firstName: member.firstName,
    lastName: member.lastName,
    groupIds,
    joinedAt: toIso(member.joinedAt),
  };
}

/** The account with its groups, members and pending invitations. */
export function presentAdminAccountDetail(
  account: AccountsTable,
  groups: AccountGroupsTable[],
  members: Array<{ member: MemberRow; groupIds: string[] }>,
  invitations: Array<{ email: string; groupIds: string[]; expiresAt: number }>,
): AdminAccountDetailDto {
  return {
    ...presentAdminAccount(account, groups),
    members: members.map(({ member, groupIds }) => presentMember(member, groupIds)),
    pendingInvitations: invitations.map((i) => ({ email: i.email, groupIds: i.groupIds, expiresAt: toIso(i.expiresAt) })),
  };
}

/** `GET /auth/invitations/preview`: what the invitation offers, never its token. */
export function presentInvitationPreview(preview: InvitationPreview): InvitationPreviewDto {
  return {
    accountId: preview.account.id,
    accountName: preview.account.name,
    accountType: preview.account.type as AccountType,
    email: preview.email,
    groups: preview.groups,
    invitedBy: preview.invitedBy,
    expiresAt: toIso(preview.expiresAt),
  };
}
