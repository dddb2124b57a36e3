import type { EmailChangeRequestedDto, UserDto } from "../../../contracts/me.js";
import { assertThat } from "../../errors.js";
import { toIso } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { isUniqueViolation, newOpaqueId } from "../../lib/ids.js";
import type { RequestMeta } from "../activity/event-recorder.js";
import { THROTTLE_POLICIES } from "../throttle/throttle.js";
import { emailChangeConfirmationMail, emailChangeNoticeMail } from "./email-change.mails.js";
import { profileErrors } from "./profile.errors.js";
import { EMAIL_CHANGE_PURPOSE, type Executor, type ProfileRepo } from "./profile.repo.js";
import type { MeAuth, ProfileServiceDeps } from "./profile.service.js";

/** A confirmation link works for 24 hours (OWASP Forgot Password cheat sheet: short-lived, single use). */
export const EMAIL_CHANGE_TTL_MS = 24 * 3_600_000;

/**
 * The per-account password throttle key. Wrong passwords here count toward the same per-account
 * budget as sign-in (NIST 800-63B §3.2.2 limits failures per authenticator, whatever the entry
 * point), so a stolen session cannot be used to guess the password at leisure.
 */
export function passwordThrottleKey(userId: string): string {
  return `login:account:${userId}`;
}

interface EmailChangeDeps extends ProfileServiceDeps {
  repo: ProfileRepo;
  presentMe(auth: MeAuth, executor?: Executor): Promise<UserDto>;
}

/** The two steps of an email change: request (password + new address) and confirmation by link. */
export function createEmailChange(deps: EmailChangeDeps) {
  const { db, clock, config, events, hasher, mailer, throttle, repo, logger } = deps;

  async function verifyPassword(auth: MeAuth, password: string, meta: RequestMeta): Promise<void> {
    const keys = [{ key: passwordThrottleKey(auth.user.id), policy: THROTTLE_POLICIES.passwordPerAccount }];
    await throttle.assertNotThrottled(keys);
    const hash = auth.user.passwordHash;
    if (hash && (await hasher.verifyPassword(hash, password))) {
      await throttle.recordSuccess(keys.map((k) => k.key));
      return;
    }
    await throttle.recordFailure(keys);
    await events.recordEvent(db, {
      type: "email_change_requested",
      userId: auth.user.id,
      result: "failure",
      details: { reason: "invalid_password" },
      meta,
    });
    throw profileErrors.invalidPassword();
  }

  /**
   * Step 1: checks the password (throttled), refuses a taken address, replaces any earlier pending
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
    const token = newToken();
    const now = clock.now();
    const expiresAt = now + EMAIL_CHANGE_TTL_MS;
    await db.transaction().execute(async (trx) => {
      assertThat(!(await repo.isEmailTaken(trx, input.newEmail, user.id)), profileErrors.emailTaken);
      await repo.deletePendingEmailChanges(trx, user.id);
      await repo.insertToken(trx, {
        id: newOpaqueId(),
        tokenHash: hashToken(token),
        purpose: EMAIL_CHANGE_PURPOSE,
        userId: user.id,
        email: input.newEmail,
        payload: JSON.stringify({ newEmail: input.newEmail }),
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
      const mail = {
        firstName: user.firstName,
        oldEmail: user.email,
        newEmail: input.newEmail,
        confirmUrl: `${config.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`,
        expiresAt: toIso(expiresAt),
        securityUrl: `${config.publicUrl}/profile/security`,
      };
      await mailer.enqueueMail(trx, emailChangeConfirmationMail(mail));
      await mailer.enqueueMail(trx, emailChangeNoticeMail(mail));
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
    const row = await repo.findEmailChangeByHash(db, hashToken(token));
    if (row?.usedAt != null) {
      await events.recordEvent(db, {
        type: "authn_token_reuse",
        userId: row.userId,
        result: "failure",
        details: { purpose: EMAIL_CHANGE_PURPOSE },
        meta,
      });
    }
    const userId = row?.userId;
    const newEmail = row?.email;
    if (!row || !userId || !newEmail) throw profileErrors.invalidToken();
    try {
      return await db.transaction().execute(async (trx) => {
        const now = clock.now();
        assertThat(await repo.consumeToken(trx, row.id, now), profileErrors.invalidToken);
        assertThat(!(await repo.isEmailTaken(trx, newEmail, userId)), profileErrors.emailTaken);
        const user = await repo.findUserById(trx, userId);
        if (!user) throw profileErrors.invalidToken();
        await repo.updateUser(trx, userId, { email: newEmail, updatedAt: now });
        await events.recordEvent(trx, { type: "email_change_confirmed", userId, meta });
        const mfaEnabled = await repo.hasConfirmedMfa(trx, userId);
        return deps.presentMe({ user: { ...user, email: newEmail, updatedAt: now }, mfaEnabled }, trx);
      });
    } catch (error) {
      // Two confirmations racing for one address: the database's unique index decides.
      if (isUniqueViolation(error)) throw profileErrors.emailTaken();
      throw error;
    }
  }

  return { requestEmailChange, confirmEmailChange };
}
