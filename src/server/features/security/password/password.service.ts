import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../../config.js";
import type { Database } from "../../../db/schema.js";
import type { Clock } from "../../../lib/clock.js";
import type { Mailer } from "../../mail/mailer.js";
import type { EventRecorder } from "../../activity/event-recorder.js";
import type { PasswordHasher } from "../../../lib/crypto/password-hasher.js";
import type { SessionStore } from "../../sessions/session-store.js";
import type * as z from "zod";
import type { changePasswordSchema } from "../../../../contracts/security.js";
import type { RecentAuth } from "../../auth/recent-auth.js";
import type { RequestMeta } from "../../../request-context.js";
import type { CredentialCheck } from "../../auth/credential-check.js";
import type { AuthContext } from "../../../request-context.js";
import type { OneTimeTokensRepo } from "../../tokens/one-time-tokens.repo.js";
import type { LockdownLinkIssuer } from "../../lockdown/lockdown-links.js";
import type { UserSecurityStatesRepo } from "../../users/user-security-states.repo.js";
import type { UsersRepo } from "../../users/users.repo.js";
import { passwordChangedMail } from "../security.mails.js";
import { passwordErrors } from "./password.errors.js";
import { checkPasswordPolicy } from "./password-policy.js";

export type ChangePasswordInput = z.output<typeof changePasswordSchema>;

export interface PasswordServiceDeps {
  db: Kysely<Database>;
  users: UsersRepo;
  tokens: OneTimeTokensRepo;
  clock: Clock;
  config: Pick<ResolvedConfig, "passwordMinLength" | "publicUrl">;
  hasher: PasswordHasher;
  events: EventRecorder;
  mailer: Mailer;
  sessions: SessionStore;
  logger: FastifyBaseLogger;
  credentials: CredentialCheck;
  recentAuth: RecentAuth;
  /** The "This wasn't me" link of the notice mail. */
  lockdownLinks: LockdownLinkIssuer;
  /** Clears a lockdown's "the password must be reset": a new password was set. */
  securityStates: UserSecurityStatesRepo;
}

/** Changing the password while signed in (ASVS 6.2.2/6.2.3, checklist A7, C7, C11). */
export function createPasswordService(deps: PasswordServiceDeps) {
  const { db, users, tokens, clock, config, hasher, events, mailer, sessions, credentials, recentAuth, logger } = deps;

  /**
   * The current password, through the shared sign-in throttle (a wrong one counts like a failed
   * sign-in, so a stolen session cannot guess at leisure). A session older than the
   * re-authentication age of a person with MFA must also bring a code, or for a person whose only
   * second factor is a passkey, have confirmed with it: the password alone is not a full
   * re-authentication for them (C11).
   */
  async function verifyCurrentPassword(auth: AuthContext, input: ChangePasswordInput, meta: RequestMeta): Promise<void> {
    // A person whose only second factor is a passkey confirms with it first (the session then is recent).
    if (!recentAuth.isRecent(auth)) recentAuth.assertPasswordSuffices(auth);
    if (auth.totpEnabled && !recentAuth.isRecent(auth)) {
      await recentAuth.verifyCredentials(auth, { password: input.currentPassword, code: input.code }, meta);
      return;
    }
    if (await credentials.verifyPassword(auth.user.email, auth.user, input.currentPassword, meta)) return;
    await events.recordEvent(db, {
      type: "authn_password_change",
      userId: auth.user.id,
      result: "failure",
      details: { reason: "invalid_password" },
      meta,
    });
    throw passwordErrors.invalidPassword();
  }

  /**
   * Checks the policy (with its reason) and the current password, then in one transaction: the
   * new argon2id hash, open reset links retired, the other sessions ended (`password_changed`)
   * unless the person chose to keep them, the current session on a new token, the event and a
   * notice mail. Returns the new token.
   */
  async function changePassword(
    auth: AuthContext,
    input: ChangePasswordInput,
    meta: RequestMeta,
  ): Promise<{ token: string; othersEnded: number }> {
    const { user } = auth;
    const policy = checkPasswordPolicy(input.newPassword, {
      minLength: config.passwordMinLength,
      userInputs: [user.email, user.firstName, user.lastName],
    });
    if (!policy.ok) throw passwordErrors.weakPassword(policy.reason);
    await verifyCurrentPassword(auth, input, meta);
    if (input.newPassword === input.currentPassword) throw passwordErrors.sameAsCurrent();
    const hash = await hasher.hashPassword(input.newPassword);
    const at = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      await users.in(trx).setPasswordHash(user.id, hash, at);
      await deps.securityStates.in(trx).clearPasswordResetRequired(user.id);
      // A reset link mailed before the change must not undo it.
      await tokens.in(trx).retireOpenTokensOfUser("password_reset", user.id, at);
      const othersEnded = input.signOutOtherSessions
        ? await sessions.endUserSessions(trx, user.id, "password_changed", auth.session.id)
        : 0;
      const token = await sessions.rotateSession(trx, auth.session.id, { authenticated: true });
      await events.recordEvent(trx, {
        type: "authn_password_change",
        userId: user.id,
        details: { signOutOtherSessions: input.signOutOtherSessions, otherSessionsEnded: othersEnded },
        meta,
      });
      const lockdownUrl = await deps.lockdownLinks.issueLockdownUrl(trx, { userId: user.id, sentTo: user.email });
      await mailer.enqueueMail(
        trx,
        passwordChangedMail(user, { at, ip: meta.ip, publicUrl: config.publicUrl, lockdownUrl }, othersEnded),
      );
      return { token, othersEnded };
    });
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
    return result;
  }

  return { changePassword };
}

export type PasswordService = ReturnType<typeof createPasswordService>;
