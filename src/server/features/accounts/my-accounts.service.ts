import type { ActiveAccountResponse, MfaPolicy, MyAccountsQuery, MyAccountsResponse } from "../../../contracts/accounts.js";
import { decodeNameCursor, pageByName } from "../../lib/keyset-cursor.js";
import type { RequestMeta } from "../../request-context.js";
import type { AuthContext } from "../../request-context.js";
import { accountErrors } from "./accounts.errors.js";
import type { AccountsDeps } from "./accounts.deps.js";
import { presentMyAccount, presentNotice, serializeNotice } from "./accounts.presenters.js";

/**
 * The person's side of accounts: their list, the session's active account, and the MFA policy
 * of the active account enforced on every request (ASVS 8.3.1: a stricter policy applies at
 * once, not at the next sign-in).
 */
export function createMyAccountsService(deps: AccountsDeps) {
  const { db, accountRows, myAccountPages: pages, sessionRows, clock, events } = deps;

  /** `GET /me/accounts`: one page, sorted by name then id, filtered by type, searched by name or ID. */
  async function listMyAccounts(auth: AuthContext, query: MyAccountsQuery): Promise<MyAccountsResponse> {
    const after = query.cursor === undefined ? undefined : decodeNameCursor(query.cursor);
    if (query.cursor !== undefined && !after) throw accountErrors.invalidCursor();
    const rows = await pages.readPage({
      userId: auth.user.id,
      limit: query.limit,
      type: query.type,
      q: query.q || undefined,
      after,
    });
    const { page, nextCursor } = pageByName(rows, query.limit);
    const context = { mfaEnabled: auth.mfaEnabled, activeAccountId: auth.session.activeAccountId };
    return {
      items: page.map((row) => presentMyAccount(row, row.groups, context)),
      nextCursor,
      notice: presentNotice(auth.session.notice),
    };
  }

  /**
   * `POST /me/active-account`. A non-member gets 404 whether or not the account exists (G2).
   * `required` needs MFA used in this very session (B1); `suggested` lets in with a nudge.
   */
  async function switchActiveAccount(auth: AuthContext, accountId: string, meta: RequestMeta): Promise<ActiveAccountResponse> {
    const account = await accountRows.findMyAccount(auth.user.id, accountId);
    if (!account) throw accountErrors.accountNotFound();
    if (account.mfaPolicy === "required" && auth.session.mfaVerified !== 1) {
      await events.recordEvent(db, {
        type: "account_switched",
        userId: auth.user.id,
        accountId: account.id,
        result: "failure",
        details: { reason: "mfa_setup_required", accountName: account.name, mfaEnabled: auth.mfaEnabled },
        meta,
      });
      throw accountErrors.mfaSetupRequired(account, auth.mfaEnabled);
    }
    await db.transaction().execute(async (trx) => {
      await sessionRows.in(trx).setActiveAccount(auth.session.id, account.id);
      await accountRows.in(trx).rememberActiveAccount(auth.user.id, account.id, clock.now());
      await events.recordEvent(trx, {
        type: "account_switched",
        userId: auth.user.id,
        accountId: account.id,
        details: { from: auth.session.activeAccountId, to: account.id, accountName: account.name },
        meta,
      });
    });
    return {
      accountId: account.id,
      name: account.name,
      mfaPolicy: account.mfaPolicy as MfaPolicy,
      nudge: account.mfaPolicy === "suggested" && !auth.mfaEnabled ? "set_up_mfa" : null,
    };
  }

  /**
   * Runs on every request with a session (auth guard): when the active account's policy now
   * requires MFA this session has not used, the session leaves the account and keeps a notice
   * saying why (G3). Mutates `auth` so the rest of the request sees the change. True when it moved.
   */
  async function enforceActiveAccountPolicy(auth: AuthContext, meta: RequestMeta): Promise<boolean> {
    const accountId = auth.session.activeAccountId;
    if (!accountId || auth.activeAccountPolicy !== "required" || auth.session.mfaVerified === 1) return false;
    const account = await accountRows.findAccount(accountId);
    const now = clock.now();
    const notice = serializeNotice({
      code: "account_policy_enforced",
      accountId,
      accountName: account?.name ?? accountId,
      at: now,
    });
    await db.transaction().execute(async (trx) => {
      if (!(await sessionRows.in(trx).leaveActiveAccount(auth.session.id, accountId, notice))) return;
      await events.recordEvent(trx, {
        type: "account_policy_enforced",
        userId: auth.user.id,
        accountId,
        details: { policy: "required", reason: "mfa_not_verified_in_session", accountName: account?.name ?? null },
        meta,
      });
    });
    auth.session.activeAccountId = null;
    auth.session.notice = notice;
    auth.activeAccountPolicy = null;
    return true;
  }

  /**
   * At a completed sign-in: the session starts in the account the person last made active, when
   * they are still a member and its policy lets this session in (`required` needs the second
   * factor used in it); otherwise it starts with none, as before.
   */
  async function restoreActiveAccount(signIn: { userId: string; sessionId: string }): Promise<void> {
    const accountId = await accountRows.findRememberedAccount(signIn.userId);
    const account = accountId && (await accountRows.findMyAccount(signIn.userId, accountId));
    if (!account) return;
    if (account.mfaPolicy === "required" && !(await sessionRows.isMfaVerified(signIn.sessionId))) return;
    await sessionRows.setActiveAccount(signIn.sessionId, account.id);
  }

  /** Forgets the session's notice once the page has shown it. */
  async function dismissNotice(auth: AuthContext): Promise<void> {
    await sessionRows.clearNotice(auth.session.id);
  }

  return { listMyAccounts, switchActiveAccount, enforceActiveAccountPolicy, restoreActiveAccount, dismissNotice };
}
