import type {
  AdminAccountDetailDto,
  AdminAddMemberInput,
  AdminAddMemberResponse,
  AdminMemberDto,
} from "../../../contracts/admin.js";
import type { AccountsTable, Executor } from "../../db/schema.js";
import { toIso } from "../../lib/clock.js";
import { accountErrors } from "./accounts.errors.js";
import { recordAdminAction, type AccountsDeps, type Actor } from "./accounts.deps.js";
import { presentAdminAccountDetail, presentMember, serializeNotice } from "./accounts.presenters.js";
import { createInvitationsService } from "./invitations.service.js";
import { listOpenInvitationsOfAccount } from "./invitation-payload.js";

/**
 * Membership management for operators: who is in an account and in which of its groups. Every
 * account keeps at least one administrator, so removals and group changes that would leave
 * none are refused with 409 `sole_admin`, as self-deletion is.
 */
export function createMembersService(deps: AccountsDeps) {
  const { db, accountRows, users, tokens, sessionRows, clock, events } = deps;
  const invitations = createInvitationsService(deps);

  /** The account, or 404; and the ids of the groups given that are NOT groups of it. */
  async function checkGroups(ex: Executor, accountId: string, groupIds: string[]) {
    const account = await accountRows.in(ex).findAccount(accountId);
    if (!account) throw accountErrors.accountNotFound();
    const groups = await accountRows.in(ex).listGroups(accountId);
    const own = new Set(groups.map((g) => g.id));
    const foreign = groupIds.filter((id) => !own.has(id));
    if (foreign.length > 0) throw accountErrors.unknownGroups(foreign);
    return { account, groups, adminGroupIds: new Set(groups.filter((g) => g.isAdmin === 1).map((g) => g.id)) };
  }

  async function isAdmin(ex: Executor, accountId: string, userId: string, adminGroupIds: Set<string>) {
    const byMember = await accountRows.in(ex).listGroupIdsByMember(accountId);
    return (byMember.get(userId) ?? []).some((id) => adminGroupIds.has(id));
  }

  /** `GET /admin/accounts/{id}`: groups, members with their groups, pending invitations. */
  async function getAccount(accountId: string, actor: Actor): Promise<AdminAccountDetailDto> {
    const account = await accountRows.findAccount(accountId);
    if (!account) throw accountErrors.accountNotFound();
    const groups = await accountRows.listGroups(accountId);
    const members = await accountRows.listMembers(accountId);
    const groupIds = await accountRows.listGroupIdsByMember(accountId);
    const open = await listOpenInvitationsOfAccount(tokens, accountId, clock.now());
    await recordAdminAction(deps, db, actor, "get_account", { accountId });
    return presentAdminAccountDetail(
      account,
      groups,
      members.map((member) => ({ member, groupIds: groupIds.get(member.userId) ?? [] })),
      open.map(({ row, payload }) => ({ email: row.email ?? "", groupIds: payload.groupIds, expiresAt: row.expiresAt })),
    );
  }

  /** `POST /admin/accounts/{id}/members`: an existing user joins at once; an unknown email is invited. */
  async function addMember(accountId: string, input: AdminAddMemberInput, actor: Actor): Promise<AdminAddMemberResponse> {
    const groupIds = [...new Set(input.groupIds)];
    const { account } = await checkGroups(db, accountId, groupIds);
    const user = await users.findByEmail(input.email);
    if (!user) {
      const { expiresAt } = await invitations.inviteByEmail(account, input.email, groupIds, actor);
      return { status: "invited", userId: null, email: input.email, groupIds, expiresAt: toIso(expiresAt) };
    }
    await db.transaction().execute(async (trx) => {
      await accountRows.in(trx).lockAccount(accountId);
      if (await accountRows.in(trx).findMembership(accountId, user.id)) throw accountErrors.alreadyMember(input.email);
      await accountRows.in(trx).addMembership(accountId, user.id, groupIds, clock.now());
      await events.recordEvent(trx, {
        type: "membership_added",
        userId: user.id,
        accountId,
        details: { accountName: account.name, groupIds, via: actor.via },
        meta: actor.meta,
      });
      await recordAdminAction(deps, trx, actor, "add_member", { accountId, userId: user.id, details: { groupIds } });
    });
    return { status: "added", userId: user.id, email: user.email, groupIds, expiresAt: null };
  }

  /** `DELETE /admin/accounts/{id}/members/{userId}`: refused for the last administrator. */
  async function removeMember(accountId: string, userId: string, actor: Actor): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const account = await accountRows.in(trx).lockAccount(accountId);
      if (!account) throw accountErrors.accountNotFound();
      if (!(await accountRows.in(trx).findMembership(accountId, userId))) throw accountErrors.memberNotFound();
      const { adminGroupIds } = await checkGroups(trx, accountId, []);
      if (
        (await isAdmin(trx, accountId, userId, adminGroupIds)) &&
        (await accountRows.in(trx).countOtherAdmins(accountId, userId)) === 0
      )
        throw accountErrors.soleAdmin(account);
      await accountRows.in(trx).deleteMembership(accountId, userId);
      await leaveInSessions(trx, account, userId);
      await events.recordEvent(trx, {
        type: "membership_removed",
        userId,
        accountId,
        details: { accountName: account.name, via: actor.via },
        meta: actor.meta,
      });
      await recordAdminAction(deps, trx, actor, "remove_member", { accountId, userId });
    });
  }

  /** A removed member's sessions leave the account at once, with a notice saying why. */
  async function leaveInSessions(trx: Executor, account: AccountsTable, userId: string) {
    const notice = serializeNotice({
      code: "membership_removed",
      accountId: account.id,
      accountName: account.name,
      at: clock.now(),
    });
    await sessionRows.in(trx).leaveAccountInAllSessions(userId, account.id, notice);
  }

  /** `PUT /admin/accounts/{id}/members/{userId}/groups`: replaces the member's groups. */
  async function setMemberGroups(accountId: string, userId: string, groupIdsIn: string[], actor: Actor): Promise<AdminMemberDto> {
    const groupIds = [...new Set(groupIdsIn)];
    return db.transaction().execute(async (trx) => {
      const account = await accountRows.in(trx).lockAccount(accountId);
      if (!account) throw accountErrors.accountNotFound();
      const { adminGroupIds } = await checkGroups(trx, accountId, groupIds);
      if (!(await accountRows.in(trx).findMembership(accountId, userId))) throw accountErrors.memberNotFound();
      const before = (await accountRows.in(trx).listGroupIdsByMember(accountId)).get(userId) ?? [];
      const staysAdmin = groupIds.some((id) => adminGroupIds.has(id));
      const wasAdmin = before.some((id) => adminGroupIds.has(id));
      if (wasAdmin && !staysAdmin && (await accountRows.in(trx).countOtherAdmins(accountId, userId)) === 0)
        throw accountErrors.soleAdmin(account);
      await accountRows.in(trx).replaceGroups(accountId, userId, groupIds, clock.now());
      await events.recordEvent(trx, {
        type: "membership_groups_changed",
        userId,
        accountId,
        details: { accountName: account.name, from: before, to: groupIds, via: actor.via },
        meta: actor.meta,
      });
      await recordAdminAction(deps, trx, actor, "set_member_groups", { accountId, userId, details: { groupIds } });
      const member = (await accountRows.in(trx).listMembers(accountId)).find((m) => m.userId === userId);
      if (!member) throw accountErrors.memberNotFound();
      return presentMember(member, [...groupIds].sort());
    });
  }

  return { getAccount, addMember, removeMember, setMemberGroups };
}
