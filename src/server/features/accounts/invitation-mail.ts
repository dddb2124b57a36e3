import { escapeHtml } from "../../lib/mail/escape-html.js";
import type { MailMessage } from "../mail/mailer.js";

/** The invitation email: the account's name, the single-use link and when it expires. Pure. */
export function invitationMail(input: { to: string; accountName: string; link: string; expiresAt: number }): MailMessage {
  const expires = new Date(input.expiresAt).toUTCString();
  const subject = `You're invited to join ${input.accountName}`;
  const text = [
    `You have been invited to join ${input.accountName} in Profile Center.`,
    "",
    "Accept the invitation and choose your password here:",
    input.link,
    "",
    `The link works once and expires on ${expires}.`,
    "If you did not expect this invitation, you can ignore this email.",
  ].join("\n");
  const html = [
    `<p>You have been invited to join <strong>${escapeHtml(input.accountName)}</strong> in Profile Center.</p>`,
    `<p><a href="${escapeHtml(input.link)}">Accept the invitation and choose your password</a></p>`,
    `<p>The link works once and expires on ${escapeHtml(expires)}.</p>`,
    "<p>If you did not expect this invitation, you can ignore this email.</p>",
  ].join("\n");
  return { to: input.to, subject, text, html };
}
