import type { UserDto } from "../../../contracts/me.js";
import { toIso } from "../../lib/clock.js";
import type { RequestMeta } from "../../request-context.js";
import { escapeHtml } from "../../lib/mail/escape-html.js";
import type { MailMessage } from "../mail/mailer.js";
import type { EmailChangeDeps } from "./email-change.js";
import { profileErrors } from "./profile.errors.js";
import type { MeAuth } from "./profile.presenters.js";

/** A confirmation link works for 24 hours, like an email change's. */
export const EMAIL_VERIFICATION_TTL_MS = 24 * 3_600_000;
/** A new link is mailed at most this often (asking again sooner sends nothing: no mail bombing). */
export const EMAIL_VERIFICATION_RESEND_MS = 60_000;

function verificationMail(input: { to: string; firstName: string; url: string }): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    "Open the link below to confirm that this address receives mail for your Profile Center login: security alerts and password-reset links come here. It works once, for 24 hours.",
    "If you did not ask for this, ignore this email.",
  ];
  return {
    to: input.to,
    subject: "Confirm your email address for Profile Center",
    text: `${lines.join("\n\n")}\n\n${input.url}\n\nProfile Center\n`,
    html: `<!doctype html>\n<html><body>\n${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("\n")}\n<p><a href="${escapeHtml(input.url)}">Confirm my email address</a></p>\n<p>Profile Center</p>\n</body></html>\n`,
  };
}

/**
 * Confirming that the login's address receives mail (the checkup's "email verified"): a
 * single-use link to the current address; opening it on `/confirm-email` records the time.
 */
export function createEmailVerification(deps: EmailChangeDeps) {
  const { db, users, tokens, clock, events, mailer, logger } = deps;

  /** `POST /me/email-verification` → 202: mails a link, unless one went out within the last minute. */
  async function requestEmailVerification(auth: MeAuth, meta: RequestMeta): Promise<{ sentTo: string }> {
    const { user } = auth;
    const now = clock.now();
    const open = await tokens.findOpenTokenOfUser("email_verification", user.id, now);
    if (open && now - open.createdAt < EMAIL_VERIFICATION_RESEND_MS) return { sentTo: user.email };
    await db.transaction().execute(async (trx) => {
      await tokens.in(trx).deleteOpenTokensOfUser("email_verification", user.id);
      const token = await tokens.in(trx).issueToken({
        purpose: "email_verification",
        userId: user.id,
        email: user.email,
        payload: null,
        now,
        expiresAt: now + EMAIL_VERIFICATION_TTL_MS,
      });
      const url = `${deps.config.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
      await mailer.enqueueMail(trx, verificationMail({ to: user.email, firstName: user.firstName, url }));
      await events.recordEvent(trx, { type: "email_verification_requested", userId: user.id, meta });
    });
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
    return { sentTo: user.email };
  }

  /**
   * The confirmation, when `token` is a verification link (undefined otherwise: the caller tries
   * it as an email change). The link counts only while the login still has the address it went to.
   */
  async function confirmEmailVerification(token: string, meta: RequestMeta): Promise<UserDto | undefined> {
    const row = await tokens.findTokenRow("email_verification", token);
    if (!row) return undefined;
    if (row.usedAt !== null) {
      await events.recordEvent(db, {
        type: "authn_token_reuse",
        userId: row.userId,
        result: "failure",
        details: { purpose: "email_verification" },
        meta,
      });
    }
    const userId = row.userId;
    if (!userId) throw profileErrors.invalidToken();
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const user = await users.in(trx).findById(userId);
      if (!user || user.email !== row.email || !(await tokens.in(trx).consumeToken(row.id, now)))
        throw profileErrors.invalidToken();
      await deps.securityStates.in(trx).markEmailVerified(userId, now);
      await events.recordEvent(trx, { type: "email_verified", userId, details: { at: toIso(now) }, meta });
      const mfaEnabled = await deps.mfaFactors.in(trx).hasConfirmedTotp(userId);
      return deps.presentMe({ user, mfaEnabled }, trx);
    });
  }

  return { requestEmailVerification, confirmEmailVerification };
}
