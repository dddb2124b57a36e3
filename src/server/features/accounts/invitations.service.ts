import type { AccountsTable, Executor, OneTimeTokensTable, UsersTable } from "../../db/schema.js";
import { insertWithFreshId, newUserId } from "../../lib/ids.js";
import type { RequestMeta } from "../../request-context.js";
import { checkPasswordPolicy } from "../security/password/password-policy.js";
import { newUserRow } from "../users/users.repo.js";
import { accountErrors } from "./accounts.errors.js";
import { deliverSoon, INVITATION_TTL_MS, recordAdminAction, type AccountsDeps, type Actor } from "./accounts.deps.js";
import { invitationMail } from "./invitation-mail.js";
import { listOpenInvitationsOfAccount, parseInvitationPayload, type InvitationPayload } from "./invitation-payload.js";

/** What accepting an invitation did. */
export type AcceptInvitationResult =
  { status: "authenticated"; user: UsersTable; sessionToken: string } | { status: "sign_in_required"; email: string };

export interface AcceptInvitationInput {
  token: string;
  firstName: string;
  lastName: string;
  password: string;
  /** The new person's starting time zone (validated by the contract). */
  timezone?: string | undefined;
}

/** What an open invitation offers (`GET /auth/invitations/preview`). */
export interface InvitationPreview {
  account: AccountsTable;
  email: string;
  groups: string[];
  invitedBy: string | null;
  expiresAt: number;
}

/**
 * Invitations into accounts: a single-use link (token stored only as its SHA-256), valid for
 * 7 days, mailed to the invited address. Accepting creates the person with the chosen password,
 * joins the account's groups and signs them in, all in one transaction.
 */
export function createInvitationsService(deps: AccountsDeps) {
  const { db, accountRows, users, tokens, clock, events, mailer, config } = deps;

  /** Invites an email into the account (replacing an older open invitation to the same account). */
  async function inviteByEmail(account: AccountsTable, email: string, groupIds: string[], actor: Actor) {
    const now = clock.now();
    const expiresAt = now + INVITATION_TTL_MS;
    await db.transaction().execute(async (trx) => {
      const older = await listOpenInvitationsOfAccount(tokens.in(trx), account.id, now, email);
      await tokens.in(trx).retireTokens(
        older.map(({ row }) => row.id),
        now,
      );
      const token = await tokens.in(trx).issueToken({
        purpose: "invitation",
        userId: null,
        email,
        payload: JSON.stringify({ accountId: account.id, groupIds } satisfies InvitationPayload),
        now,
        expiresAt,
      });
      const link = `${config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
      await mailer.enqueueMail(trx, invitationMail({ to: email, accountName: account.name, link, expiresAt }));
      await events.recordEvent(trx, {
        type: "invitation_created",
        userId: null,
        accountId: account.id,
        details: { email, groupIds, via: actor.via },
        meta: actor.meta,
      });
      await recordAdminAction(deps, trx, actor, "add_member", {
        accountId: account.id,
        details: { email, groupIds, invited: true },
      });
    });
    deliverSoon(mailer);
    return { expiresAt };
  }

  /** The open invitation behind a token, or 400 `invalid_token` (unknown, used or expired alike). */
  async function findOpenInvitation(token: string): Promise<OneTimeTokensTable> {
    const row = await tokens.findUsableToken("invitation", token, clock.now());
    if (!row?.email) throw accountErrors.invalidInvitation();
    return row;
  }

  /**
   * `GET /auth/invitations/preview`: the account, the address and the groups of an open
   * invitation, read without using it up; 400 `invalid_token` exactly as accepting would.
   */
  async function previewInvitation(token: string): Promise<InvitationPreview> {
    const invitation = await findOpenInvitation(token);
    const payload = parseInvitationPayload(invitation.payload);
    const account = payload && (await accountRows.findAccount(payload.accountId));
    if (!payload || !account) throw accountErrors.invalidInvitation();
    const groups = (await accountRows.listGroups(account.id)).filter((group) => payload.groupIds.includes(group.id));
    return {
      account,
      email: invitation.email ?? "",
      groups: groups.map((group) => group.name),
      invitedBy: payload.invitedBy ?? null,
      expiresAt: invitation.expiresAt,
    };
  }

  /** `POST /auth/invitations/accept`. */
  async function acceptInvitation(input: AcceptInvitationInput, meta: RequestMeta): Promise<AcceptInvitationResult> {
    const invitation = await findOpenInvitation(input.token);
    const email = invitation.email ?? "";
    let passwordHash: string | null = null;
    if (!(await users.findByEmail(email))) {
      const policy = checkPasswordPolicy(input.password, {
        minLength: config.passwordMinLength,
        userInputs: [email, input.firstName, input.lastName],
      });
      if (!policy.ok) throw accountErrors.weakPassword(policy.reason);
      passwordHash = await deps.hasher.hashPassword(input.password);
    }
    return insertWithFreshId(newUserId, (id) =>
      db.transaction().execute(async (trx) => {
        if (!(await tokens.in(trx).consumeToken(invitation.id, clock.now()))) throw accountErrors.invalidInvitation();
        const payload = parseInvitationPayload(invitation.payload);
        const account = payload && (await accountRows.in(trx).findAccount(payload.accountId));
        if (!payload || !account) throw accountErrors.invalidInvitation();
        const existing = await users.in(trx).findByEmail(email);
        // Someone with this email exists (created after the invitation went out): they join,
        // but the link never signs into an existing profile: they use their own password (and MFA).
        if (existing) {
          await join(trx, account, existing.id, payload.groupIds, invitation, meta);
          return { status: "sign_in_required", email } as const;
        }
        if (passwordHash === null) throw accountErrors.invalidInvitation();
        const { firstName, lastName } = input;
        const user = {
          ...newUserRow({ id, email, firstName, lastName, passwordHash }, clock.now()),
          ...(input.timezone ? { timezone: input.timezone } : {}),
        };
        await users.in(trx).insert(user);
        // The link came to this address: it is verified from the start.
        await deps.securityStates.in(trx).markEmailVerified(user.id, clock.now());
        await join(trx, account, user.id, payload.groupIds, invitation, meta);
        const { token } = await deps.sessions.createSession(trx, { userId: user.id, ip: meta.ip, userAgent: meta.userAgent });
        await events.recordEvent(trx, { type: "authn_login_success", userId: user.id, details: { method: "invitation" }, meta });
        return { status: "authenticated", user, sessionToken: token } as const;
      }),
    );
  }

  /** Joins the invited groups that still exist, with the events of both steps. */
  async function join(
    trx: Executor,
    account: AccountsTable,
    userId: string,
    groupIds: string[],
    invitation: OneTimeTokensTable,
    meta: RequestMeta,
  ) {
    const own = new Set((await accountRows.in(trx).listGroups(account.id)).map((g) => g.id));
    const kept = groupIds.filter((id) => own.has(id));
    const { joined } = await accountRows.in(trx).addMembership(account.id, userId, kept, clock.now());
    const details = { accountName: account.name, groupIds: kept, via: "invitation" };
    await events.recordEvent(trx, {
      type: "invitation_accepted",
      userId,
      accountId: account.id,
      details: { ...details, invitedAt: new Date(invitation.createdAt).toISOString() },
      meta,
    });
    await events.recordEvent(trx, {
      type: joined ? "membership_added" : "membership_groups_changed",
      userId,
      accountId: account.id,
      details,
      meta,
    });
  }

  return { inviteByEmail, acceptInvitation, previewInvitation };
}
