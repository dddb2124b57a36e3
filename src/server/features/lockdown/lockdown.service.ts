import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { LockdownActionDto, LockdownPreviewDto } from "../../../contracts/lockdown.js";
import type { Database, Executor, OneTimeTokensTable, UserSecurityStatesTable, UsersTable } from "../../db/schema.js";
import { toIso, type Clock } from "../../lib/clock.js";
import { formatMailTime } from "../../lib/mail/format-mail-time.js";
import type { RequestMeta } from "../../request-context.js";
import type { EventRecorder } from "../activity/event-recorder.js";
import type { Mailer } from "../mail/mailer.js";
import type { SessionStore } from "../sessions/session-store.js";
import { isLive, type SessionsRepo } from "../sessions/sessions.repo.js";
import { isTokenUsable, type OneTimeTokensRepo } from "../tokens/one-time-tokens.repo.js";
import type { ConnectedAppsSource } from "../users/person-sources.js";
import type { UserSecurityStatesRepo } from "../users/user-security-states.repo.js";
import type { UsersRepo } from "../users/users.repo.js";
import { lockdownErrors } from "./lockdown.errors.js";
import { lockdownConfirmationMail } from "./lockdown.mails.js";

/** An email change this recent is undone by a lockdown from a link mailed to the address it replaced. */
export const EMAIL_RESTORE_WINDOW_MS = 7 * 24 * 3_600_000;

export interface LockdownDeps {
  db: Kysely<Database>;
  users: UsersRepo;
  tokens: OneTimeTokensRepo;
  sessionRows: SessionsRepo;
  securityStates: UserSecurityStatesRepo;
  clock: Clock;
  events: EventRecorder;
  mailer: Mailer;
  logger: FastifyBaseLogger;
  /** Ends sessions only through the session engine's cut (single sign-on hooks its back-channel logout there). */
  sessions: Pick<SessionStore, "endUserSessions" | "settleSessionsOf" | "idleMs">;
  connectedApps: ConnectedAppsSource;
  /** The password-reset feature's link, mailed in the same transaction. */
  issueResetLink(executor: Executor, user: UsersTable, meta: RequestMeta): Promise<void>;
  publicUrl: string;
}

/**
 * The address to put back: the link went to the address a confirmed email change replaced, that
 * change is at most 7 days old, and the login still has the address it was changed to.
 */
export function emailToRestore(
  link: Pick<OneTimeTokensTable, "email">,
  user: Pick<UsersTable, "email">,
  state: UserSecurityStatesTable | undefined,
  now: number,
): string | null {
  if (!link.email || link.email === user.email || !state?.previousEmail || state.emailChangedAt === null) return null;
  if (state.previousEmail !== link.email || now - state.emailChangedAt > EMAIL_RESTORE_WINDOW_MS) return null;
  return state.previousEmail;
}

/**
 * "This wasn't me": from a link in a security alert, without a password (the person may have
 * lost it), every session and app token ends, the password must be reset (a link is mailed at
 * once), a pending email change is cancelled and a recent one undone when the link came to the
 * old address, the event is recorded and a confirmation mailed. Two-factor settings are kept:
 * they still protect the account.
 */
export function createLockdownService(deps: LockdownDeps) {
  const { db, users, tokens, securityStates, clock, events, mailer } = deps;

  /** The link's token row and person, while usable; records a replay of a used link. */
  async function findUsableLink(token: string, meta: RequestMeta) {
    const row = await tokens.findTokenRow("lockdown", token);
    if (row?.usedAt != null) {
      await events.recordEvent(db, {
        type: "authn_token_reuse",
        userId: row.userId,
        result: "failure",
        details: { purpose: "lockdown" },
        meta,
      });
    }
    if (!row?.userId || !isTokenUsable(row, clock.now())) throw lockdownErrors.invalidToken();
    const user = await users.findById(row.userId);
    if (!user) throw lockdownErrors.invalidToken();
    return { row, user };
  }

  /** Sessions usable right now (signed in, not expired, idle or cut), as the Sessions page counts them. */
  async function countActiveSessions(user: UsersTable, now: number): Promise<number> {
    await deps.sessions.settleSessionsOf(user.id);
    const rows = await deps.sessionRows.listAllOfUser(user.id);
    const live = { now, idleMs: deps.sessions.idleMs };
    return rows.filter((r) => r.mfaPending === 0 && r.generation === user.sessionGeneration && isLive(r, live)).length;
  }

  /** `GET /auth/lockdown?token=`: what confirming will do; changes nothing. */
  async function previewLockdown(token: string, meta: RequestMeta): Promise<LockdownPreviewDto> {
    const { row, user } = await findUsableLink(token, meta);
    const now = clock.now();
    const restore = emailToRestore(row, user, await securityStates.findState(user.id), now);
    const email = restore ?? user.email;
    const live = await countActiveSessions(user, now);
    const pending = await tokens.findOpenTokenOfUser("email_change", user.id, now);
    const apps = await deps.connectedApps.listForUser(user.id);
    const actions: LockdownActionDto[] = [
      {
        id: "end_sessions",
        description: `Every session is signed out, on every device (${live} active now).`,
      },
      {
        id: "revoke_app_tokens",
        description:
          apps.length > 0
            ? `Connected apps lose access: their tokens are revoked (${apps.length} app${apps.length === 1 ? "" : "s"}).`
            : "Any app connected to your login loses access (none is connected now).",
      },
      { id: "require_password_reset", description: "Your current password stops working: signing in needs a new one." },
      { id: "mail_reset_link", description: `A link to set a new password is emailed to ${email} at once.` },
    ];
    if (restore) {
      actions.push({
        id: "restore_email",
        description: `The recent change of your email address is undone: your login goes back from ${user.email} to ${restore}.`,
      });
    }
    if (pending?.email) {
      actions.push({
        id: "cancel_email_change",
        description: `The pending change of your email address to ${pending.email} is cancelled.`,
      });
    }
    return { email, actions, expiresAt: toIso(row.expiresAt) };
  }

  /** Puts the old address back when the link asks for it and nobody else took it meanwhile. */
  async function restoreEmail(trx: Executor, link: OneTimeTokensTable, user: UsersTable, now: number): Promise<string | null> {
    const restore = emailToRestore(link, user, await securityStates.in(trx).findState(user.id), now);
    if (!restore || (await users.in(trx).isEmailTaken(restore, user.id))) return null;
    await users.in(trx).update(user.id, { email: restore, updatedAt: now });
    await securityStates.in(trx).save(user.id, { previousEmail: null, emailChangedAt: null });
    return restore;
  }

  /** `POST /auth/lockdown {token}`: everything the page promised, in one transaction. */
  async function confirmLockdown(token: string, meta: RequestMeta): Promise<void> {
    const { row } = await findUsableLink(token, meta);
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      if (!(await tokens.in(trx).consumeToken(row.id, now))) throw lockdownErrors.invalidToken();
      // Read again inside the transaction: the address may have changed since the link was checked.
      const user = row.userId ? await users.in(trx).findById(row.userId) : undefined;
      if (!user) throw lockdownErrors.invalidToken();
      const restored = await restoreEmail(trx, row, user, now);
      const email = restored ?? user.email;
      const pending = await tokens.in(trx).findOpenTokenOfUser("email_change", user.id, now);
      await tokens.in(trx).deleteOpenTokensOfUser("email_change", user.id);
      // The other alerts' links have done their job: one lockdown is enough.
      await tokens.in(trx).retireOpenTokensOfUser("lockdown", user.id, now);
      const sessionsEnded = await deps.sessions.endUserSessions(trx, user.id, "lockdown");
      const appsRevoked = await deps.connectedApps.revokeAllForUser(trx, user.id);
      await securityStates.in(trx).save(user.id, {
        passwordResetRequiredAt: now,
        // Opening the link proved the address it was mailed to, when that is the login's address.
        ...(row.email === email ? { emailVerifiedAt: now } : {}),
      });
      const person = { ...user, email };
      await deps.issueResetLink(trx, person, meta);
      await events.recordEvent(trx, {
        type: "lockdown",
        userId: user.id,
        details: { sessionsEnded, appsRevoked, emailRestored: restored !== null, emailChangeCancelled: pending !== undefined },
        meta,
      });
      await mailer.enqueueMail(
        trx,
        lockdownConfirmationMail({
          to: email,
          firstName: user.firstName,
          sessionsEnded,
          appsRevoked,
          restoredEmail: restored,
          time: formatMailTime(now, person),
          forgotUrl: `${deps.publicUrl}/forgot-password`,
        }),
      );
    });
    mailer.deliverDueMail().catch((error: unknown) => deps.logger.warn({ err: error }, "mail delivery run failed"));
  }

  return { previewLockdown, confirmLockdown };
}

export type LockdownService = ReturnType<typeof createLockdownService>;
