import { escapeHtml } from "../../lib/mail/escape-html.js";
import type { MailMessage } from "../mail/mailer.js";
import { formatMailTime, type MailTimePrefs } from "../../lib/mail/format-mail-time.js";

/*
 * Notices for every change to a person's credentials (ASVS 6.3.7: notify the user of changes to
 * authentication details), so a takeover does not go unseen. They never contain a secret, code
 * or link that acts by itself: the "This wasn't me" link opens a page that asks to confirm.
 */

const PRODUCT = "Profile Center";

/** Who the notice goes to and how they read times. */
export interface NoticeRecipient extends MailTimePrefs {
  email: string;
  firstName: string;
}

/** Context for every notice: when, from where, and the page to review things. */
export interface NoticeContext {
  at: number;
  ip: string | null;
  publicUrl: string;
  /** The "This wasn't me — secure my account" page for this mail (single use), where the alert offers it. */
  lockdownUrl?: string | undefined;
}

/** The words of the "This wasn't me" link in every alert that carries one. */
export const LOCKDOWN_LINK_LABEL = "This wasn't me — secure my account";

function notice(to: NoticeRecipient, ctx: NoticeContext, subject: string, what: string[], advice: string | null): MailMessage {
  const when = `When: ${formatMailTime(ctx.at, to)}${ctx.ip ? `, from IP address ${ctx.ip}` : ""}.`;
  const lines = [`Hello ${to.firstName},`, ...what, when];
  if (advice) lines.push(advice);
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l)}</p>`);
  if (ctx.lockdownUrl) {
    lines.push(
      `${LOCKDOWN_LINK_LABEL} (signs out every session and asks for a new password; works once, for 7 days): ${ctx.lockdownUrl}`,
    );
    paragraphs.push(
      `<p><a href="${escapeHtml(ctx.lockdownUrl)}">${escapeHtml(LOCKDOWN_LINK_LABEL)}</a> (signs out every session and asks for a new password; works once, for 7 days)</p>`,
    );
  }
  return {
    to: to.email,
    subject,
    text: `${lines.join("\n\n")}\n\n${PRODUCT}\n`,
    html: `<!doctype html>\n<html><body>\n${paragraphs.join("\n")}\n<p>${PRODUCT}</p>\n</body></html>\n`,
  };
}

function ifNotYou(ctx: NoticeContext): string {
  return `If this was not you, reset your password now and review your sessions and security settings: ${ctx.publicUrl}/profile/security`;
}

/** Two-factor authentication was switched on. */
export function mfaEnabledMail(to: NoticeRecipient, ctx: NoticeContext): MailMessage {
  return notice(
    to,
    ctx,
    `Two-factor authentication is on for your ${PRODUCT} login`,
    [
      "Two-factor authentication with an authenticator app was turned on for your login. Signing in now also needs a code from the app.",
      "Keep your recovery codes somewhere safe: they are the way back in if you lose your phone.",
    ],
    ifNotYou(ctx),
  );
}

/**
 * The authenticator app was switched off. With a passkey left the person still has two-factor
 * sign-in, and the mail says so instead of claiming the password alone now suffices.
 */
export function mfaDisabledMail(to: NoticeRecipient, ctx: NoticeContext, passkeysLeft = 0): MailMessage {
  if (passkeysLeft > 0) {
    return notice(
      to,
      ctx,
      `Your authenticator app was removed from your ${PRODUCT} login`,
      [
        `The authenticator app was turned off for your login, and its recovery codes no longer work. Your ${
          passkeysLeft === 1 ? "passkey still protects" : `${passkeysLeft} passkeys still protect`
        } your sign-in: with a password, signing in also needs a passkey.`,
      ],
      ifNotYou(ctx),
    );
  }
  return notice(
    to,
    ctx,
    `Two-factor authentication was turned off for your ${PRODUCT} login`,
    ["Two-factor authentication was turned off for your login: signing in now needs only your password."],
    ifNotYou(ctx),
  );
}

/** New recovery codes were made; the old ones stopped working. */
export function recoveryCodesRegeneratedMail(to: NoticeRecipient, ctx: NoticeContext): MailMessage {
  return notice(
    to,
    ctx,
    `New recovery codes for your ${PRODUCT} login`,
    ["New recovery codes were created for your login. The previous codes no longer work."],
    ifNotYou(ctx),
  );
}

/** A recovery code was used to sign in or confirm an action. */
export function recoveryCodeUsedMail(to: NoticeRecipient, ctx: NoticeContext, left: number): MailMessage {
  const remaining =
    left <= 3
      ? `You have ${left} recovery code${left === 1 ? "" : "s"} left. Create new ones on the Security page.`
      : `You have ${left} recovery codes left.`;
  return notice(
    to,
    ctx,
    `A recovery code was used for your ${PRODUCT} login`,
    ["One of your recovery codes was just used instead of a code from your authenticator app.", remaining],
    ifNotYou(ctx),
  );
}

/** The password was changed. */
export function passwordChangedMail(to: NoticeRecipient, ctx: NoticeContext, othersSignedOut: number): MailMessage {
  const others =
    othersSignedOut > 0
      ? `Your other sessions (${othersSignedOut}) were signed out.`
      : "Your other sessions were left signed in.";
  return notice(
    to,
    ctx,
    `Your ${PRODUCT} password was changed`,
    ["The password of your login was changed.", others],
    ifNotYou(ctx),
  );
}

/** The login was deleted (sent to the old address), by the person or by an operator. */
export function accountDeletedMail(to: NoticeRecipient, ctx: NoticeContext, options: { byOperator?: boolean } = {}): MailMessage {
  const what = options.byOperator
    ? "An administrator of this service deleted your login and its personal data permanently: your profile, password, two-factor authentication, recovery codes, sessions and account memberships."
    : "Your login and its personal data were deleted permanently, as you asked: your profile, password, two-factor authentication, recovery codes, sessions and account memberships.";
  return notice(
    to,
    ctx,
    `Your ${PRODUCT} login was deleted`,
    [
      what,
      "The security log keeps a record of past sign-ins and changes for the operator, under a pseudonymous id that no longer names you.",
    ],
    options.byOperator
      ? "If you did not expect this, contact the administrator of your organisation."
      : "If this was not you, contact the administrator of your organisation at once.",
  );
}

/** An operator removed the person's second factors (the lost-phone case) and ended every session. */
export function mfaResetMail(to: NoticeRecipient, ctx: NoticeContext): MailMessage {
  return notice(
    to,
    ctx,
    `Two-factor authentication was reset for your ${PRODUCT} login`,
    [
      "An administrator reset two-factor authentication for your login, as is done when a phone is lost: your authenticator app, recovery codes and passkeys no longer work, and every session was signed out.",
      `Sign in with your password and set up two-factor authentication again on the Security page: ${ctx.publicUrl}/profile/security`,
    ],
    "If you did not ask for this, contact the administrator of your organisation at once and change your password.",
  );
}

/** An operator disabled the login: sign-in is refused until they enable it again. */
export function accountDisabledMail(to: NoticeRecipient, ctx: NoticeContext): MailMessage {
  return notice(
    to,
    ctx,
    `Your ${PRODUCT} login was disabled`,
    ["An administrator disabled your login: every session was signed out and signing in is refused until it is enabled again."],
    "If you did not expect this, contact the administrator of your organisation.",
  );
}

/** A passkey was added to the login. */
export function passkeyAddedMail(to: NoticeRecipient, ctx: NoticeContext, passkeyName: string): MailMessage {
  return notice(
    to,
    ctx,
    `A passkey was added to your ${PRODUCT} login`,
    [
      `A passkey named "${passkeyName}" was added to your login. It can now be used to sign in without a password, and as a second step after your password.`,
    ],
    ifNotYou(ctx),
  );
}

/** A passkey was removed from the login. */
export function passkeyRemovedMail(to: NoticeRecipient, ctx: NoticeContext, passkeyName: string, mfaOff: boolean): MailMessage {
  const what = [`The passkey named "${passkeyName}" was removed from your login: it can no longer be used to sign in.`];
  if (mfaOff) what.push("Your login has no second factor any more: signing in now needs only your password.");
  return notice(to, ctx, `A passkey was removed from your ${PRODUCT} login`, what, ifNotYou(ctx));
}
