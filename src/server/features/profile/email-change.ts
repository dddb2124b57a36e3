import type { EmailChangeRequestedDto, UserDto } from "../../../contracts/me.js";
import type { Executor } from "../../db/schema.js";
import { AppError, assertThat } from "../../errors.js";
import { toIso } from "../../lib/clock.js";
import { hashToken } from "../../lib/crypto/hash-token.js";
import { isUniqueViolation } from "../../lib/ids.js";
import type { RequestMeta } from "../../request-context.js";
import { THROTTLE_POLICIES } from "../throttle/throttle.js";
import { emailChangedMail, emailChangeConfirmationMail, emailChangeNoticeMail } from "./email-change.mails.js";
import { profileErrors } from "./profile.errors.js";
import type { ProfileServiceDeps } from "./profile.deps.js";
import type { MeAuth } from "./profile.presenters.js";

/** A confirmation link works for 24 hours (OWASP Forgot Password cheat sheet: short-lived, single use). */
export const EMAIL_CHANGE_TTL_MS = 24 * 3_600_000;

/** The profile service's deps, and how it presents the person after a change. */
export interface EmailChangeDeps extends ProfileServiceDeps {
  presentMe(auth: MeAuth, executor?: Executor): Promise<UserDto>;
}

/** The two steps of an email change: request (password + new address) and confirmation by link. */
export function createEmailChange(deps: EmailChangeDeps) {
  const { db, users, tokens, mfaFactors, clock, config, events, mailer, logger, credentials } = deps;

  /**
   * The password check goes through the shared credential check, so wrong passwords here count
   * toward the same per-account and per-IP budget as sign-in (NIST 800-63B §3.2.2 limits failures
   * per authenticator, whatever the entry point): a stolen session cannot guess at leisure.
   */
  async function verifyPassword(auth: MeAuth, password: string, meta: RequestMeta): Promise<void> {
    const { user } = auth;
    if (await credentials.verifyPassword(user.email, user, password, meta)) return;
    await events.recordEvent(db, {
      type: "email_change_requested",
      userId: user.id,
      result: "failure",
      details: { reason: "invalid_password" },
      meta,
    });
    throw profileErrors.invalidPassword();
  }

  /**
   * Each request with the right password counts against the person and against the new address
   * (one atomic reservation) before the address is looked up or mailed: the answer tells whether
   * an address is registered (409) and a request mails the address named, so neither may be had
   * in bulk. 429 `rate_limited` past it. Wrong passwords spend the sign-in budget instead.
   */
  async function reserveRequest(auth: MeAuth, newEmail: string, meta: RequestMeta): Promise<void> {
    const keys = [
      { key: `email-change:person:${auth.user.id}`, policy: THROTTLE_POLICIES.emailChangePerPerson },
      { key: `email-change:address:${hashToken(newEmail)}`, policy: THROTTLE_POLICIES.emailChangePerAddress },
    ];
    try {
      await deps.throttle.reserveAttempt(keys);
    } catch (error) {
      if (error instanceof AppError && error.code === "rate_limited") {
        await events.recordEvent(db, {
          type: "excess_rate_limit_exceeded",
          userId: auth.user.id,
          result: "failure",
          details: { action: "email_change", retryAfterSeconds: error.details?.retryAfterSeconds },
          meta,
        });
      }
      throw error;
    }
  }

  /**
   * Step 1: checks the password (throttled), then the per-person and per-address budget, refuses a taken address, replaces any earlier pending
   * request with a new single-use token (stored hashed), mails the link to the NEW address and a
   * notice to the OLD one. The address itself does not change yet.
   */
  async function requestEmailChange(
    auth: MeAuth,
    input: { newEmail: string; password: string },
    meta: RequestMeta,
  ): Promise<EmailChangeRequestedDto> {
    const { user } = auth;
    assertThat(input.newEmail !== user.email, profileErrors.sameEmail);
    await verifyPassword(auth, input.password, meta);
    await reserveRequest(auth, input.newEmail, meta);
    const now = clock.now();
    const expiresAt = now + EMAIL_CHANGE_TTL_MS;
    await db.transaction().execute(async (trx) => {
      assertThat(!(await users.in(trx).isEmailTaken(input.newEmail, user.id)), profileErrors.emailTaken);
      await tokens.in(trx).deleteOpenTokensOfUser("email_change", user.id);
      const token = await tokens.in(trx).issueToken({
        purpose: "email_change",
        userId: user.id,
        email: input.newEmail,
        payload: JSON.stringify({ newEmail: input.newEmail }),
        now,
        expiresAt,
      });
      const mail = {
        firstName: user.firstName,
        oldEmail: user.email,
        newEmail: input.newEmail,
        confirmUrl: `${config.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`,
        expiresAt: toIso(expiresAt),
        securityUrl: `${config.publicUrl}/profile/security`,
      };
      const lockdownUrl = await deps.lockdownLinks.issueLockdownUrl(trx, { userId: user.id, sentTo: user.email });
      await mailer.enqueueMail(trx, emailChangeConfirmationMail(mail));
      await mailer.enqueueMail(trx, emailChangeNoticeMail({ ...mail, lockdownUrl }));
      await events.recordEvent(trx, { type: "email_change_requested", userId: user.id, meta });
    });
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
    return { pendingEmail: input.newEmail, expiresAt: toIso(expiresAt) };
  }

  /**
   * Step 2 (public: the link may be opened signed out): consumes the token by compare-and-set and
   * moves the login to the new address, unless someone took that address meanwhile (409; the token
   * then stays usable, since nothing changed).
   */
  async function confirmEmailChange(token: string, meta: RequestMeta): Promise<UserDto> {
    const row = await tokens.findTokenRow("email_change", token);
    if (row?.usedAt != null) {
      await events.recordEvent(db, {
        type: "authn_token_reuse",
        userId: row.userId,
        result: "failure",
        details: { purpose: "email_change" },
        meta,
      });
    }
    const userId = row?.userId;
    const newEmail = row?.email;
    if (!row || !userId || !newEmail) throw profileErrors.invalidToken();
    try {
      return await db.transaction().execute(async (trx) => {
        const now = clock.now();
        assertThat(await tokens.in(trx).consumeToken(row.id, now), profileErrors.invalidToken);
        assertThat(!(await users.in(trx).isEmailTaken(newEmail, userId)), profileErrors.emailTaken);
        const user = await users.in(trx).findById(userId);
        if (!user) throw profileErrors.invalidToken();
        await users.in(trx).update(userId, { email: newEmail, updatedAt: now });
        // The old address is kept for 7 days: a lockdown from a link mailed to it undoes the change.
        await deps.securityStates.in(trx).save(userId, { previousEmail: user.email, emailChangedAt: now, emailVerifiedAt: now });
        await events.recordEvent(trx, { type: "email_change_confirmed", userId, meta });
        const lockdownUrl = await deps.lockdownLinks.issueLockdownUrl(trx, { userId, sentTo: user.email });
        await mailer.enqueueMail(
          trx,
          emailChangedMail({
            firstName: user.firstName,
            oldEmail: user.email,
            newEmail,
            at: toIso(now),
            securityUrl: `${config.publicUrl}/profile/security`,
            lockdownUrl,
          }),
        );
        const mfaEnabled =
          (await mfaFactors.in(trx).hasConfirmedTotp(userId)) || (await deps.passkeyRows.in(trx).countForUser(userId)) > 0;
        return deps.presentMe({ user: { ...user, email: newEmail, updatedAt: now }, mfaEnabled }, trx);
      });
    } catch (error) {
      // Two confirmations racing for one address: the database's unique index decides.
      if (isUniqueViolation(error)) throw profileErrors.emailTaken();
      throw error;
    } finally {
      mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
    }
  }

  return { requestEmailChange, confirmEmailChange };
}
