import type {
  AdminUpdateUserInput,
  AdminUpdateUserResponse,
  AdminUserDetailDto,
  AdminUserListDto,
  AdminUserListQuery,
} from "../../../contracts/admin-users.js";
import type { Executor, UsersTable } from "../../db/schema.js";
import { decodeNameCursor, pageByName } from "../../lib/keyset-cursor.js";
import { deliverSoon, recordAdminAction } from "../accounts/accounts.deps.js";
import { accountDisabledMail, mfaResetMail } from "../security/security.mails.js";
import type { Actor, PeopleDeps } from "./people.deps.js";
import { peopleErrors } from "./people.errors.js";
import { presentPerson, presentPersonDetail } from "./people.presenters.js";

/**
 * The operator's tools for people (admin API and CLI alike): list and search, one person in
 * full, disable and enable, reset MFA for a lost phone, end every session, delete. Every action
 * records an `admin_action` event (operation, channel, request id) in the transaction of its
 * change; sessions end through the session engine's cuts, like every other way sessions end.
 */
export function createPeopleService(deps: PeopleDeps) {
  const { db, people, users, accountRows, mfaFactors, sessionRows, throttles, sessions, mailer, clock, config } = deps;

  async function countPasskeys(userId: string): Promise<number> {
    let total = 0;
    for (const source of deps.secondFactors) if (source.kind === "passkeys") total += await source.countFor(userId);
    return total;
  }

  /** The person's row and status, or 404. */
  async function findPerson(userId: string, executor: Executor = db): Promise<{ user: UsersTable; disabledAt: number | null }> {
    const user = await users.in(executor).findById(userId);
    if (!user) throw peopleErrors.userNotFound();
    return { user, disabledAt: (await people.in(executor).findDisabledAt(userId)) ?? null };
  }

  async function detailOf(userId: string): Promise<AdminUserDetailDto> {
    const { user, disabledAt } = await findPerson(userId);
    // A cut still settling is settled first, so its sessions do not count as active.
    await sessions.settleSessionsOf(userId);
    const totp = await mfaFactors.findTotpFactor(userId);
    const generation = (await users.findPendingCut(userId))?.sessionGeneration ?? user.sessionGeneration;
    return presentPersonDetail(
      { ...user, disabledAt },
      {
        mfaEnabled: totp?.confirmedAt != null,
        totpEnabledAt: totp?.confirmedAt ?? null,
        recoveryCodesLeft: await mfaFactors.countUnusedRecoveryCodes(userId),
        passkeys: await countPasskeys(userId),
        lastSignInAt: await sessionRows.findLastSignInAt(userId),
        memberships: await accountRows.listMembershipsOfUser(userId),
        activeSessions: await sessionRows.countActive(userId, generation, { now: clock.now(), idleMs: sessions.idleMs }),
      },
    );
  }

  /** `GET /admin/users`: one page of people by email, filtered by `q` and `status`. */
  async function listPeople(query: AdminUserListQuery, actor: Actor): Promise<AdminUserListDto> {
    const after = query.cursor === undefined ? undefined : decodeNameCursor(query.cursor);
    if (query.cursor !== undefined && !after) throw peopleErrors.invalidCursor();
    const rows = await people.listPeople({ limit: query.limit, q: query.q || undefined, status: query.status, after });
    const { page, nextCursor } = pageByName(rows, query.limit);
    const items = [];
    for (const row of page) {
      items.push(
        presentPerson(row, {
          mfaEnabled: await mfaFactors.hasConfirmedTotp(row.id),
          passkeys: await countPasskeys(row.id),
          lastSignInAt: await sessionRows.findLastSignInAt(row.id),
        }),
      );
    }
    await recordAdminAction(deps, db, actor, "list_users", {
      details: { count: items.length, ...(query.status ? { status: query.status } : {}), searched: !!query.q },
    });
    return { items, nextCursor };
  }

  /** `GET /admin/users/{id}`: the person with memberships, MFA state and active sessions. */
  async function getPerson(userId: string, actor: Actor): Promise<AdminUserDetailDto> {
    const detail = await detailOf(userId);
    await recordAdminAction(deps, db, actor, "show_user", { userId });
    return detail;
  }

  /**
   * `PATCH /admin/users/{id}`: rename, disable or enable. Disabling ends every session at once and
   * refuses sign-in from then on; it is allowed for an account's last administrator, and the
   * answer lists such accounts so the operator can name another administrator.
   */
  async function updatePerson(userId: string, input: AdminUpdateUserInput, actor: Actor): Promise<AdminUpdateUserResponse> {
    const outcome = await db.transaction().execute(async (trx) => {
      const { user, disabledAt } = await findPerson(userId, trx);
      const now = clock.now();
      const changes: Record<string, { from: string; to: string }> = {};
      const names: Partial<Pick<UsersTable, "firstName" | "lastName">> = {};
      if (input.firstName !== undefined && input.firstName !== user.firstName) {
        names.firstName = input.firstName;
        changes.firstName = { from: user.firstName, to: input.firstName };
      }
      if (input.lastName !== undefined && input.lastName !== user.lastName) {
        names.lastName = input.lastName;
        changes.lastName = { from: user.lastName, to: input.lastName };
      }
      if (Object.keys(names).length > 0) await users.in(trx).update(userId, { ...names, updatedAt: now });
      const before = disabledAt === null ? "active" : "disabled";
      if (input.status !== undefined && input.status !== before) changes.status = { from: before, to: input.status };
      let sessionsEnded = 0;
      let soleAdminOf: Array<{ id: string; name: string }> = [];
      if (input.status === "disabled") {
        if (await people.in(trx).disable(userId, now))
          await mailer.enqueueMail(trx, accountDisabledMail(user, { at: now, ip: null, publicUrl: config.publicUrl }));
        sessionsEnded = await sessions.endUserSessions(trx, userId, "account_disabled");
        soleAdminOf = await accountRows.in(trx).findSoleAdminAccounts(userId);
      } else if (input.status === "active") {
        await people.in(trx).enable(userId);
      }
      const operation = changes.status ? (input.status === "disabled" ? "disable_user" : "enable_user") : "update_user";
      await recordAdminAction(deps, trx, actor, operation, {
        userId,
        details: { changes, sessionsEnded, ...(soleAdminOf.length > 0 ? { soleAdminOf: soleAdminOf.map((a) => a.id) } : {}) },
      });
      return { sessionsEnded, soleAdminOf };
    });
    deliverSoon(mailer);
    return { ...(await detailOf(userId)), ...outcome };
  }

  /**
   * `POST /admin/users/{id}/mfa/reset`, for the lost phone: the authenticator app, recovery codes
   * and passkeys are removed, a code-step lock is lifted, every session ends, and the person is
   * told by mail; they sign in with their password and set MFA up again.
   */
  async function resetMfa(userId: string, actor: Actor): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const { user } = await findPerson(userId, trx);
      const factors = mfaFactors.in(trx);
      const totpRemoved = await factors.deleteTotpFactor(userId);
      const recoveryCodesRemoved = (await factors.listRecoveryCodes(userId)).length;
      await factors.deleteRecoveryCodes(userId);
      let passkeysRemoved = 0;
      for (const source of deps.secondFactors) passkeysRemoved += await source.removeAllFor(trx, userId);
      await throttles.in(trx).deleteKeys([`totp:${userId}`]);
      const sessionsEnded = await sessions.endUserSessions(trx, userId, "mfa_reset");
      await mailer.enqueueMail(trx, mfaResetMail(user, { at: clock.now(), ip: null, publicUrl: config.publicUrl }));
      await recordAdminAction(deps, trx, actor, "reset_mfa", {
        userId,
        details: { totpRemoved: totpRemoved > 0, recoveryCodesRemoved, passkeysRemoved, sessionsEnded },
      });
    });
    deliverSoon(mailer);
  }

  /** `POST /admin/users/{id}/sessions/revoke`: ends every session of the person; how many ended. */
  async function revokeSessions(userId: string, actor: Actor): Promise<number> {
    return db.transaction().execute(async (trx) => {
      await findPerson(userId, trx);
      const revoked = await sessions.endUserSessions(trx, userId, "revoked_by_admin");
      await recordAdminAction(deps, trx, actor, "revoke_sessions", { userId, details: { revoked } });
      return revoked;
    });
  }

  /** `DELETE /admin/users/{id}`: as self-deletion (409 `sole_admin` for an account's last administrator). */
  async function deletePerson(userId: string, actor: Actor): Promise<void> {
    const deleted = await deps.deleteUser(userId, actor.meta, (trx, pseudonym, sessionsEnded) =>
      recordAdminAction(deps, trx, actor, "delete_user", { userId: pseudonym, details: { sessionsEnded } }),
    );
    if (!deleted) throw peopleErrors.userNotFound();
  }

  /** True while an operator has the person disabled (sign-in answers 401 `account_disabled`). */
  async function isDisabled(userId: string, executor: Executor = db): Promise<boolean> {
    return (await people.in(executor).findDisabledAt(userId)) !== undefined;
  }

  /** A user's id by email (no audit row: a lookup for the CLI). */
  async function findUserIdByEmail(email: string): Promise<string | undefined> {
    return (await users.findByEmail(email.trim().toLowerCase()))?.id;
  }

  return { listPeople, getPerson, updatePerson, resetMfa, revokeSessions, deletePerson, isDisabled, findUserIdByEmail };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
